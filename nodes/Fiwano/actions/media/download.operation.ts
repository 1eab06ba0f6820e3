import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { mediaExtension, mediaFileName, safeFileName } from '../../helpers/mediaFileName';
import { NodeOperationError } from 'n8n-workflow';

import { fiwanoDownloadMedia } from '../../transport';
import { requiredString } from '../../helpers/parameters';
import { operationDescription } from '../operationDescription';

const properties: INodeProperties[] = [
	{
		displayName: 'Media ID',
		name: 'mediaId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.data.media.media_id }}',
		description:
			'The media_id of a file a customer sent, from the Fiwano Trigger’s message.received event (data.media.media_id). Files are kept for 60 minutes.',
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryProperty',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
		description: 'Name of the binary property to write the downloaded file into, e.g. data',
	},
];

export const description = operationDescription('media', 'download', properties);

const GENERIC_TYPE = 'application/octet-stream';

/**
 * Downloads a file a customer sent into the item's binary data, with the MIME type and file
 * name Fiwano gives (Content-Type, Content-Disposition), and its size in the JSON. When Fiwano
 * gives no name, the file is named after the media ID with the extension of its type.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const mediaId = requiredString(
		this,
		'mediaId',
		'Media ID',
		itemIndex,
		'Map the media_id of an incoming media message, e.g. {{ $json.data.media.media_id }} from the Fiwano Trigger. Text messages have no media.',
	);
	const binaryProperty = String(
		this.getNodeParameter('binaryProperty', itemIndex, 'data') ?? '',
	).trim();
	if (!binaryProperty) {
		throw new NodeOperationError(this.getNode(), 'The output binary field name is empty', {
			itemIndex,
			description: 'Set "Put Output File in Field", e.g. data.',
		});
	}

	const file = await fiwanoDownloadMedia.call(this, mediaId, itemIndex);
	const binary = await this.helpers.prepareBinaryData(
		file.data,
		safeFileName(file.fileName) || undefined,
		file.mimeType || GENERIC_TYPE,
	);
	if (!binary.fileName) {
		binary.fileExtension = mediaExtension(binary.mimeType, binary.fileExtension);
		binary.fileName = mediaFileName(mediaId, binary.mimeType, binary.fileExtension);
	}

	return {
		json: {
			media_id: mediaId,
			mime_type: binary.mimeType,
			file_name: binary.fileName,
			file_size: file.data.length,
		},
		binary: { [binaryProperty]: binary },
	};
}
