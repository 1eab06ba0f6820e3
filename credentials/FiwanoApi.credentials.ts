import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class FiwanoApi implements ICredentialType {
	name = 'fiwanoApi';

	displayName = 'Fiwano API';

	icon: Icon = {
		light: 'file:../nodes/Fiwano/fiwano.svg',
		dark: 'file:../nodes/Fiwano/fiwano.dark.svg',
	};

	documentationUrl = 'https://github.com/RomanBabakin/n8n-nodes-fiwano#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Your Fiwano API key (starts with <code>mip_live_</code>). Create one on the API Keys page of the Fiwano portal.',
		},
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. The secret Fiwano signs webhooks with (16–64 characters). Leave empty and the Fiwano Trigger generates and keeps its own when it registers the webhook.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://fiwano.com',
			description: 'Change only to use a Fiwano sandbox or staging server',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'X-API-Key': '={{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{($credentials.baseUrl || "https://fiwano.com").replace(/\\/+$/, "")}}',
			url: '/api/v1/channels',
			method: 'GET',
		},
	};
}
