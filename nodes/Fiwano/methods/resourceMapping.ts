import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';

import {
	fieldId,
	fieldLabel,
	parseTemplateRef,
	variableDefinitions,
} from '../helpers/templateVariables';
import { channelPath } from '../helpers/apiPath';
import type { Template } from '../helpers/types';
import { fiwanoApiRequest } from '../transport';
import { listTemplates } from '../transport/lookups';

/** A parameter of the node being edited, '' when it is not set or not shown (Language in list mode). */
function currentString(ctx: ILoadOptionsFunctions, name: string, extractValue = false): string {
	let value: unknown;
	try {
		value = ctx.getCurrentNodeParameter(name, extractValue ? { extractValue: true } : undefined);
	} catch {
		return '';
	}
	return typeof value === 'string' ? value.trim() : '';
}

/**
 * Send Template's variable fields: one per variable of the chosen template (header, body,
 * button), labelled with the template's example value. The template is found among the
 * channel's approved templates by name and language, then read with
 * `GET /channels/{id}/templates/{template_id}`, which returns its variable definitions.
 */
export async function getTemplateVariables(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const channelId = currentString(this, 'channelId', true);
	const ref = parseTemplateRef(
		currentString(this, 'templateName', true),
		currentString(this, 'language'),
	);
	if (!channelId || !ref.name) {
		return { fields: [], emptyFieldsNotice: 'Choose a channel and a template first.' };
	}
	const { templates } = await listTemplates(this, channelId, { sync: 'false', status: 'APPROVED' });
	const match = (templates ?? []).find(
		(t) =>
			t.name === ref.name &&
			(!ref.language || t.language === ref.language) &&
			t.status === 'APPROVED',
	);
	if (!match) {
		return {
			fields: [],
			emptyFieldsNotice: `No approved template "${ref.name}"${ref.language ? ` (${ref.language})` : ''} on this channel.`,
		};
	}
	const template = (await fiwanoApiRequest.call(
		this,
		'GET',
		channelPath(channelId, 'templates', match.id),
	)) as Template;
	const fields = variableDefinitions(template).map((definition) => ({
		id: fieldId(definition),
		displayName: fieldLabel(definition),
		required: true,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type: 'string' as const,
	}));
	return {
		fields,
		emptyFieldsNotice: 'This template has no variables: there is nothing to fill in.',
	};
}
