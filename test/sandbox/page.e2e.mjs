// Headless-Chromium test of the sandbox's customer-phone page (GET /).
//
//   bash scripts/ensure-chromium.sh && node test/sandbox/page.e2e.mjs
//
// Starts the sandbox and a tiny bot: a webhook receiver that verifies X-Webhook-Signature and
// answers through the sandbox's Fiwano API, like the n8n echo bot would. Then it types in the
// page, sends an image, and checks what the customer sees. Prints one PASS/FAIL line per check,
// a final "N passed, N failed" line, and saves .e2e/phone-page.png. Links and quoted replies
// are checked in page-replies.e2e.mjs (it saves .e2e/phone-reply.png).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

import { chromium } from 'playwright-core';

import { replyChecks } from './page-replies.e2e.mjs';
import { DEMO_API_KEY, SEED, startSandbox } from './server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT_DIR = join(ROOT, '.e2e');
const SCREENSHOT = join(OUT_DIR, 'phone-page.png');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const STEP_TIMEOUT_MS = 15_000;

const results = [];
async function check(name, fn) {
	const started = Date.now();
	try {
		const detail = await fn();
		results.push({ name, ok: true });
		console.log(`PASS ${name}${detail ? ` (${detail})` : ''} [${Date.now() - started} ms]`);
	} catch (error) {
		results.push({ name, ok: false });
		console.log(`FAIL ${name}: ${error?.message ?? error}`);
	}
}

function assert(condition, message) {
	if (!condition) throw new Error(message);
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

async function waitFor(fn, what, timeoutMs = STEP_TIMEOUT_MS) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await fn();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(50);
	}
}

/** A small but real PNG (a sunset gradient), so the page has a photo to show. */
function samplePng(width = 240, height = 160) {
	const rows = [];
	for (let y = 0; y < height; y++) {
		const row = Buffer.alloc(1 + width * 3);
		for (let x = 0; x < width; x++) {
			const t = y / height;
			let [r, g, b] = [255 - 60 * t, 140 + 60 * t, 90 + 140 * t];
			const dx = x - width * 0.68;
			const dy = y - height * 0.42;
			if (dx * dx + dy * dy < 26 * 26) [r, g, b] = [255, 225, 120];
			if (y > height * 0.72 + 6 * Math.sin(x / 14))
				[r, g, b] = [40 + 40 * t, 70 + 30 * t, 110 + 40 * t];
			row.set(
				[r, g, b].map((v) => Math.max(0, Math.min(255, Math.round(v)))),
				1 + x * 3,
			);
		}
		rows.push(row);
	}
	const crcTable = Array.from({ length: 256 }, (_, n) => {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		return c >>> 0;
	});
	const crc32 = (buf) => {
		let c = 0xffffffff;
		for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
		return (c ^ 0xffffffff) >>> 0;
	};
	const chunk = (type, data) => {
		const head = Buffer.alloc(8);
		head.writeUInt32BE(data.length, 0);
		head.write(type, 4, 'ascii');
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
		return Buffer.concat([head, data, crc]);
	};
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr.set([8, 2, 0, 0, 0], 8);
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(Buffer.concat(rows))),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

/**
 * The bot: verifies each delivery's signature with the channel's secret, answers 200 at once,
 * then replies through the sandbox API: an echo for text, an acknowledgement (after
 * downloading the file) for media.
 */
async function startBot(sandboxUrl) {
	const secrets = new Map();
	const events = [];
	const api = async (method, path, body) => {
		const response = await fetch(`${sandboxUrl}/api/v1${path}`, {
			method,
			headers: {
				'x-api-key': DEMO_API_KEY,
				...(body ? { 'content-type': 'application/json' } : {}),
			},
			body: body ? JSON.stringify(body) : undefined,
		});
		return { status: response.status, body: await response.json() };
	};
	const verify = (raw, header, secret) => {
		if (!secret || typeof header !== 'string' || !header.startsWith('sha256=')) return false;
		const expected = Buffer.from(createHmac('sha256', secret).update(raw).digest('hex'));
		const got = Buffer.from(header.slice(7));
		return expected.length === got.length && timingSafeEqual(expected, got);
	};
	// `entry` is the record in `events`; what the bot did is noted on it for the checks.
	const handle = async (entry, event) => {
		if (event.event !== 'message.received') return;
		const { data, channel_id: channelId } = event;
		let text;
		if (data.type === 'text') text = `Echo: ${data.text}`;
		else if (data.media?.download_url) {
			const file = await fetch(data.media.download_url, { headers: { 'x-api-key': DEMO_API_KEY } });
			const bytes = Buffer.from(await file.arrayBuffer());
			entry.downloaded = {
				status: file.status,
				type: file.headers.get('content-type'),
				size: bytes.length,
			};
			text = `Got your ${data.type} (${bytes.length} bytes). Thanks!`;
		} else text = `Got a ${data.type} message.`;
		entry.reply = await api('POST', '/messages/send', {
			channel_id: channelId,
			recipient: data.from,
			text,
		});
	};
	const server = createServer((req, res) => {
		// A link the bot sent (like n8n's answer page): a GET shows a page, nothing else.
		if (req.method === 'GET') {
			res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
			res.end('<!doctype html><title>Answer page</title><p>Answer page');
			return;
		}
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			const event = JSON.parse(raw.toString('utf8'));
			const signed = verify(raw, req.headers['x-webhook-signature'], secrets.get(event.channel_id));
			const entry = { event: event.event, channel_id: event.channel_id, data: event.data, signed };
			events.push(entry);
			res.writeHead(signed ? 200 : 401, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ ok: signed }));
			if (signed) void handle(entry, event).catch((error) => console.error('bot:', error));
		});
	});
	await new Promise((done) => server.listen(0, '127.0.0.1', done));
	const url = `http://127.0.0.1:${server.address().port}/fiwano`;
	for (const channelId of Object.values(SEED.channels)) {
		const answer = await api('PATCH', `/channels/${channelId}`, {
			webhook_url: url,
			webhook_events: ['message.received', 'message.sent', 'message.delivered', 'message.read'],
		});
		assert(
			answer.status === 200 && answer.body.webhook_secret,
			`PATCH ${channelId} answered ${answer.status}`,
		);
		secrets.set(channelId, answer.body.webhook_secret);
	}
	return { url, events, api, close: () => new Promise((done) => server.close(done)) };
}

async function main() {
	mkdirSync(OUT_DIR, { recursive: true });
	const sandbox = await startSandbox({ port: 0 });
	const bot = await startBot(sandbox.url);
	const profile = mkdtempSync(join(tmpdir(), 'fiwano-page-e2e-'));
	let context;
	const pageErrors = [];
	try {
		context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			headless: true,
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
			],
			viewport: { width: 1180, height: 1000 },
			deviceScaleFactor: 1,
		});
		const page = context.pages()[0] ?? (await context.newPage());
		page.setDefaultTimeout(STEP_TIMEOUT_MS);
		page.on('pageerror', (error) => pageErrors.push(error.message));
		page.on('console', (message) => {
			if (message.type() === 'error') pageErrors.push(message.text());
		});

		await check('the page loads, connects to the stream and shows the three channels', async () => {
			await page.goto(`${sandbox.url}/`);
			await page.locator('#conn.live').waitFor();
			const tabs = (await page.locator('.app-tab').allTextContents()).map((t) => t.trim());
			assert(tabs.join('|') === 'WhatsApp|Instagram|Messenger', `tabs ${tabs.join('|')}`);
			const header = await page.locator('#hdr-name').textContent();
			assert(header === 'Sandbox WhatsApp', `header ${header}`);
			const webhook = await page.locator('#webhook-url').textContent();
			assert(webhook === bot.url, `webhook shown ${webhook}`);
			return 'WhatsApp selected';
		});

		const text = `Hi! Is my order ready? ${Date.now().toString(36)}`;
		let waInbound;
		await check('a typed WhatsApp message reaches the webhook, signed', async () => {
			await page.locator('#composer-input').fill(text);
			await page.locator('#composer-input').press('Enter');
			waInbound = await waitFor(
				() => bot.events.find((e) => e.event === 'message.received' && e.data.text === text),
				'the delivery',
			);
			assert(waInbound.signed, 'signature did not verify');
			assert(waInbound.channel_id === SEED.channels.whatsapp, `channel ${waInbound.channel_id}`);
			assert(
				waInbound.data.from === SEED.customers.whatsapp.id &&
					waInbound.data.from_name === 'Alex Doe',
				`from ${waInbound.data.from}`,
			);
			await page.locator('.row.mine .note[data-outcome="delivered"]').first().waitFor();
			return `from ${waInbound.data.from}`;
		});

		const reply = `Echo: ${text}`;
		await check(
			"the bot's reply appears in the page with ticks, then turns read (blue)",
			async () => {
				const row = page.locator('.row.theirs', { hasText: reply });
				await row.waitFor();
				await row.locator('.ticks').waitFor();
				await row.locator('.ticks[data-status="read"]').waitFor();
				const color = await row.locator('.ticks').evaluate((el) => getComputedStyle(el).color);
				assert(color === 'rgb(83, 189, 235)', `read ticks colour ${color}`);
				const messageId = waInbound.reply?.body?.message_id;
				assert(messageId, 'the bot got no message_id');
				const statuses = await waitFor(() => {
					const seen = bot.events
						.filter((e) => e.data?.message_id === messageId)
						.map((e) => e.event);
					return seen.includes('message.read') && seen;
				}, 'message.read at the bot');
				assert(
					statuses.includes('message.sent') && statuses.includes('message.delivered'),
					`statuses ${statuses.join(', ')}`,
				);
				return statuses.join(' → ');
			},
		);

		const png = samplePng();
		await check(
			'an image from the phone is delivered as media, downloadable, and acknowledged',
			async () => {
				await page
					.locator('#composer-file')
					.setInputFiles({ name: 'sunset.png', mimeType: 'image/png', buffer: png });
				const media = await waitFor(
					() =>
						bot.events.find(
							(e) => e.event === 'message.received' && e.data.type === 'image' && e.downloaded,
						),
					'the media delivery and download',
				);
				assert(media.signed, 'signature did not verify');
				assert(
					media.data.media.download_url.startsWith(`${sandbox.url}/api/v1/media/`),
					`download_url ${media.data.media.download_url}`,
				);
				assert(
					media.downloaded.status === 200 &&
						media.downloaded.type === 'image/png' &&
						media.downloaded.size === png.length,
					`download ${JSON.stringify(media.downloaded)}`,
				);
				const img = page.locator('.row.mine img.photo').last();
				await img.waitFor();
				await page.waitForFunction(() => {
					const el = [...document.querySelectorAll('.row.mine img.photo')].at(-1);
					return el && el.complete && el.naturalWidth > 0;
				});
				await page
					.locator('.row.theirs', { hasText: `Got your image (${png.length} bytes)` })
					.waitFor();
				return `${png.length} bytes, ${media.data.media.media_id}`;
			},
		);

		await page.waitForTimeout(1800);
		await page.screenshot({ path: SCREENSHOT, fullPage: true });

		await check('Instagram: a message round-trips in its own conversation', async () => {
			await page.locator('[data-app-tab="instagram"]').click();
			assert(
				(await page.locator('#phone').getAttribute('data-app')) === 'instagram',
				'phone did not switch to Instagram',
			);
			assert(
				(await page.locator('.row').count()) === 0,
				'WhatsApp messages leaked into the Instagram conversation',
			);
			const igText = 'Do you ship to Lisbon?';
			await page.locator('#composer-input').fill(igText);
			await page.locator('#composer-send').click();
			const event = await waitFor(
				() => bot.events.find((e) => e.event === 'message.received' && e.data.text === igText),
				'the Instagram delivery',
			);
			assert(
				event.signed &&
					event.data.from === SEED.customers.instagram.id &&
					event.data.from_name === null,
				'wrong Instagram payload',
			);
			await page
				.locator('.row.theirs', { hasText: `Echo: ${igText}` })
				.locator('.ticks[data-status="read"]')
				.waitFor();
			await page.screenshot({ path: join(OUT_DIR, 'phone-page-instagram.png'), fullPage: true });
			return 'reply read';
		});

		await replyChecks({ page, sandbox, bot, check, assert, waitFor, outDir: OUT_DIR });

		await check('the page shows what happens when no webhook is set', async () => {
			await fetch(`${sandbox.url}/api/v1/channels/${SEED.channels.facebook}`, {
				method: 'PATCH',
				headers: { 'x-api-key': DEMO_API_KEY, 'content-type': 'application/json' },
				body: JSON.stringify({ webhook_url: '', webhook_events: [] }),
			});
			await page.locator('[data-app-tab="facebook"]').click();
			await page.locator('.notice.warn', { hasText: 'No bot is listening yet' }).waitFor();
			await page.locator('#composer-input').fill('anyone there?');
			await page.locator('#composer-input').press('Enter');
			await page.locator('.row.mine .note[data-outcome="skipped"]').waitFor();
			return 'warning and "not sent" note shown';
		});

		await check('no JavaScript errors in the page', async () => {
			assert(pageErrors.length === 0, pageErrors.join(' | '));
		});
	} catch (error) {
		results.push({ name: 'setup', ok: false });
		console.log(`FAIL setup: ${error?.stack ?? error}`);
	} finally {
		await context?.close().catch(() => {});
		rmSync(profile, { recursive: true, force: true });
		await bot.close();
		await sandbox.close();
	}
	const passed = results.filter((r) => r.ok).length;
	const failed = results.length - passed;
	console.log(`screenshot: ${SCREENSHOT}`);
	console.log(`${passed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
}

await main();
