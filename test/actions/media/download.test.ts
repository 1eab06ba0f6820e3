import type { IDataObject } from 'n8n-workflow';

import { fiwanoApi, runFiwano, setupHttp } from '../../helpers/harness';

setupHttp();

const MEDIA_ID = 'f1e2d3c4b5a69788';
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

function params(overrides: IDataObject = {}): IDataObject {
	return { resource: 'media', operation: 'download', mediaId: MEDIA_ID, ...overrides };
}

describe('Media → Download', () => {
	it('writes the file to binary data with the MIME type and name Fiwano gives, and describes it in the JSON', async () => {
		const scope = fiwanoApi().get(`/api/v1/media/${MEDIA_ID}`).reply(200, JPEG, {
			'Content-Type': 'image/jpeg',
			'Content-Disposition': 'attachment; filename="photo_2026.jpg"',
		});
		const { items, error } = await runFiwano(params());
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual({
			media_id: MEDIA_ID,
			mime_type: 'image/jpeg',
			file_name: 'photo_2026.jpg',
			file_size: JPEG.length,
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });
		const binary = items[0].binary?.data;
		expect(binary).toEqual(
			expect.objectContaining({
				mimeType: 'image/jpeg',
				fileName: 'photo_2026.jpg',
				fileExtension: 'jpg',
				fileType: 'image',
			}),
		);
		expect(Buffer.from(String(binary?.data), 'base64').equals(JPEG)).toBe(true);
		expect(scope.isDone()).toBe(true);
	});

	it('names a file without Content-Disposition after its media ID, with the extension of its type', async () => {
		const scope = fiwanoApi()
			.get(`/api/v1/media/${MEDIA_ID}`)
			.reply(200, Buffer.from('OggS-voice-note'), { 'Content-Type': 'audio/ogg; codecs=opus' });
		const { items } = await runFiwano(params({ binaryProperty: 'voice' }));
		expect(items[0].json).toEqual({
			media_id: MEDIA_ID,
			mime_type: 'audio/ogg',
			file_name: `${MEDIA_ID}.ogg`,
			file_size: 15,
		});
		expect(Object.keys(items[0].binary ?? {})).toEqual(['voice']);
		expect(items[0].binary?.voice.fileName).toBe(`${MEDIA_ID}.ogg`);
		expect(scope.isDone()).toBe(true);
	});

	it('downloads one file per input item, each paired to its item', async () => {
		const scope = fiwanoApi()
			.get('/api/v1/media/m1')
			.reply(200, Buffer.from('one'), { 'Content-Type': 'text/plain' })
			.get('/api/v1/media/m2')
			.reply(200, Buffer.from('two!'), {
				'Content-Type': 'application/pdf',
				'Content-Disposition': "attachment; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf",
			});
		const { items } = await runFiwano(params({ mediaId: '={{ $json.data.media.media_id }}' }), {
			input: [{ data: { media: { media_id: 'm1' } } }, { data: { media: { media_id: 'm2' } } }],
		});
		expect(
			items.map((i) => [i.json.media_id, i.json.file_name, i.json.file_size, i.pairedItem]),
		).toEqual([
			['m1', 'm1.txt', 3, { item: 0 }],
			['m2', 'Rechnung März.pdf', 4, { item: 1 }],
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('an expired file (410) says files are kept for 60 minutes', async () => {
		const scope = fiwanoApi()
			.get(`/api/v1/media/${MEDIA_ID}`)
			.reply(410, { detail: 'Media expired' });
		const { error } = await runFiwano(params());
		expect(error?.message).toBe('Fiwano 410: Media expired');
		expect(String(error?.description)).toMatch(/kept for 60 minutes/);
		expect(scope.isDone()).toBe(true);
	});

	it('with Continue On Fail an expired file is an error item with status and hint', async () => {
		const scope = fiwanoApi()
			.get(`/api/v1/media/${MEDIA_ID}`)
			.reply(410, { detail: 'Media expired' });
		const { items } = await runFiwano(params(), { continueOnFail: true });
		expect(items).toEqual([
			{
				json: expect.objectContaining({
					error: 'Fiwano 410: Media expired',
					status: 410,
					hint: expect.stringMatching(/60 minutes/),
				}),
				pairedItem: { item: 0 },
			},
		]);
		expect(items[0].binary).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	it('an empty media ID is an error before any request', async () => {
		const download = fiwanoApi()
			.get(/\/api\/v1\/media\/.*/)
			.reply(200, 'x');
		const { error } = await runFiwano(params({ mediaId: '={{ $json.data.media?.media_id }}' }), {
			input: [{ data: {} }],
		});
		expect(error?.message).toBe('Media ID is empty');
		expect(download.isDone()).toBe(false);
	});

	it('typeVersion 1 workflows with 1.x parameters download the same way', async () => {
		const scope = fiwanoApi()
			.get(`/api/v1/media/${MEDIA_ID}`)
			.reply(200, JPEG, { 'Content-Type': 'image/jpeg' });
		const { items } = await runFiwano(params({ binaryProperty: 'data' }), { typeVersion: 1 });
		expect(items[0].json).toEqual({
			media_id: MEDIA_ID,
			mime_type: 'image/jpeg',
			file_name: `${MEDIA_ID}.jpg`,
			file_size: JPEG.length,
		});
		expect(items[0].binary?.data.mimeType).toBe('image/jpeg');
		expect(scope.isDone()).toBe(true);
	});
});
