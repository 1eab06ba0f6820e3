// Phone-page checks for links and quoted replies (issue 10, Send and Wait for Response): a bot
// message's links are tappable, and the customer can reply to (quote) any message, which the
// sandbox delivers as `data.reply_to.message_id` (webhooks.md, "Replies and quoted messages").
// Called from page.e2e.mjs with its page, sandbox, bot and check helpers; saves
// .e2e/phone-reply.png (the three channel styles side by side).
import { join } from 'node:path';

import { SEED } from './server.mjs';

const APPS = [
	['whatsapp', 'WhatsApp', 'Sandbox WhatsApp'],
	['instagram', 'Instagram', null],
	['facebook', 'Messenger', null],
];

export async function replyChecks({ page, sandbox, bot, check, assert, waitFor, outDir }) {
	// The kind of link Send and Wait puts in its question: n8n's signed resume URL. It points at
	// the test bot, which serves a small page for GET, so opening it in a new tab can be checked.
	const link = `${new URL(bot.url).origin}/webhook-waiting/123/node-id?signature=abc`;
	const question = `Refund €40 to order 1042?\nApprove or decline: ${link}\nOr reply to this message with yes or no.`;
	const shots = [];

	const send = async (app, text) => {
		const sent = await bot.api('POST', '/messages/send', {
			channel_id: SEED.channels[app],
			recipient: SEED.customers[app].id,
			text,
		});
		assert(sent.status === 200 && sent.body.message_id, `send answered ${sent.status}`);
		return sent.body.message_id;
	};
	const received = (app, text) =>
		waitFor(
			() =>
				bot.events.find(
					(e) =>
						e.event === 'message.received' &&
						e.channel_id === SEED.channels[app] &&
						e.data.text === text,
				),
			`the delivery of "${text}"`,
		);
	const row = (id) => page.locator(`.row[data-message-id="${id}"]`);
	const replyTo = async (id) => {
		await row(id).hover();
		await row(id).locator('.reply-btn').click();
		await page.locator('#reply-bar').waitFor({ state: 'visible' });
	};
	const type = async (text) => {
		await page.locator('#composer-input').fill(text);
		await page.locator('#composer-input').press('Enter');
	};
	const sameJson = (a, b, what) =>
		assert(JSON.stringify(a) === JSON.stringify(b), `${what}: ${JSON.stringify(a)}`);

	/** Replies "yes" to the bot's question in this app and returns the delivered event. */
	const answerQuestion = async (app, questionId) => {
		await replyTo(questionId);
		const author = await page.locator('#reply-bar-author').textContent();
		const channelName = await page.locator('#hdr-name').textContent();
		assert(author === `Replying to ${channelName}`, `reply bar author "${author}"`);
		const snippet = await page.locator('#reply-bar-text').textContent();
		assert(snippet.startsWith('Refund €40 to order 1042? Approve'), `reply bar text "${snippet}"`);
		await type('yes');
		const event = await received(app, 'yes');
		assert(event.signed, 'signature did not verify');
		sameJson(event.data.reply_to, { message_id: questionId }, 'reply_to');
		await page.locator('#reply-bar').waitFor({ state: 'hidden' });
		const quote = row(event.data.message_id).locator(`.quote[data-quoted-id="${questionId}"]`);
		await quote.waitFor();
		const quoted = await quote.locator('.quote-author').textContent();
		assert(quoted === channelName, `quote author "${quoted}"`);
		assert(
			(await quote.locator('.quote-text').textContent()).startsWith('Refund €40'),
			'quote text',
		);
		await page.locator('.row.theirs', { hasText: 'Echo: yes' }).waitFor();
		return event;
	};

	/** The phone as it looks now, with the reply bar open on the question and its Reply button. */
	const shoot = async (label, questionId) => {
		await replyTo(questionId);
		await page.waitForFunction(() => {
			const chat = document.getElementById('chat');
			return chat.scrollHeight - chat.scrollTop - chat.clientHeight < 2;
		});
		await page.waitForTimeout(300);
		shots.push({ label, png: await page.locator('#phone').screenshot() });
		await page.locator('#reply-cancel').click();
		await page.locator('#reply-bar').waitFor({ state: 'hidden' });
	};

	await check(
		'a link in a bot message is an <a> that opens in a new tab; message text is never HTML',
		async () => {
			await page.locator('[data-app-tab="whatsapp"]').click();
			const tricky = `Track it here: ${link}. <b>not bold</b> <img src=x onerror="window.__xss=1"> javascript:alert(1) (help: https://example.com/help_(faq)).`;
			const id = await send('whatsapp', tricky);
			await row(id).waitFor();
			const anchors = await row(id)
				.locator('.bubble a')
				.evaluateAll((as) =>
					as.map((a) => ({
						href: a.getAttribute('href'),
						text: a.textContent,
						target: a.target,
						rel: a.rel,
					})),
				);
			sameJson(
				anchors,
				[link, 'https://example.com/help_(faq)'].map((href) => ({
					href,
					text: href,
					target: '_blank',
					rel: 'noopener noreferrer',
				})),
				'links',
			);
			assert((await row(id).locator('.bubble b, .bubble img').count()) === 0, 'HTML was parsed');
			const shown = await row(id).locator('.bubble').textContent();
			assert(shown.includes('<b>not bold</b> <img src=x'), `text shown: ${shown}`);
			assert((await page.evaluate(() => window.__xss)) === undefined, 'the onerror ran');
			const before = page.url();
			const [popup] = await Promise.all([
				page.waitForEvent('popup'),
				row(id).locator('.bubble a').first().click(),
			]);
			await popup.waitForLoadState();
			const opened = popup.url();
			const title = await popup.title();
			await popup.close();
			assert(opened === link && title === 'Answer page', `new tab ${opened} "${title}"`);
			assert(page.url() === before, `the phone page navigated to ${page.url()}`);
			return `href ${link}`;
		},
	);

	let yesEvent;
	let questionId;
	await check(
		"WhatsApp: Reply on a bot message quotes it; the event's reply_to.message_id is its Fiwano UUID",
		async () => {
			questionId = await send('whatsapp', question);
			await row(questionId).waitFor();
			yesEvent = await answerQuestion('whatsapp', questionId);
			await shoot('WhatsApp', questionId);
			// Tapping the quote shows the quoted message.
			await row(yesEvent.data.message_id).locator('.quote').click();
			await page.locator(`.row.flash[data-message-id="${questionId}"]`).waitFor();
			return `reply_to ${questionId}`;
		},
	);

	await check(
		"replying to the user's own message quotes its provider id; Cancel sends no reply_to",
		async () => {
			const ownId = yesEvent.data.message_id;
			assert(/^wamid\./.test(ownId), `own message id ${ownId}`);
			await replyTo(ownId);
			const author = await page.locator('#reply-bar-author').textContent();
			const text = await page.locator('#reply-bar-text').textContent();
			assert(author === 'Replying to yourself' && text === 'yes', `reply bar ${author}: ${text}`);
			await page.locator('#reply-cancel').click();
			await page.locator('#reply-bar').waitFor({ state: 'hidden' });
			await type('no quote here');
			const plain = await received('whatsapp', 'no quote here');
			assert(!('reply_to' in plain.data), `reply_to ${JSON.stringify(plain.data.reply_to)}`);

			await replyTo(ownId);
			await type('I mean yes');
			const quoting = await received('whatsapp', 'I mean yes');
			sameJson(quoting.data.reply_to, { message_id: ownId }, 'reply_to');
			const quote = row(quoting.data.message_id).locator(`.quote[data-quoted-id="${ownId}"]`);
			await quote.waitFor();
			assert((await quote.locator('.quote-author').textContent()) === 'You', 'quote author');
			return `reply_to ${ownId}`;
		},
	);

	await check(
		'a WhatsApp template quick-reply tap sends its label, quoting the template',
		async () => {
			const created = await fetch(`${sandbox.url}/_sandbox/templates`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					channel_id: SEED.channels.whatsapp,
					name: 'refund_approval',
					language: 'en_US',
					status: 'APPROVED',
					components: [
						{ type: 'BODY', text: 'Refund €40 to order 1042?' },
						{
							type: 'BUTTONS',
							buttons: [
								{ type: 'QUICK_REPLY', text: 'Yes, refund' },
								{ type: 'QUICK_REPLY', text: 'No' },
							],
						},
					],
				}),
			});
			assert(created.status === 200, `template upsert ${created.status}`);
			const sent = await bot.api('POST', '/messages/send-template', {
				channel_id: SEED.channels.whatsapp,
				recipient: SEED.customers.whatsapp.id,
				template_name: 'refund_approval',
				language: 'en_US',
			});
			assert(sent.status === 200 && sent.body.message_id, `send-template ${sent.status}`);
			await row(sent.body.message_id).locator('[data-quick-reply="Yes, refund"]').click();
			const tap = await received('whatsapp', 'Yes, refund');
			assert(tap.data.type === 'text', `type ${tap.data.type}`);
			sameJson(tap.data.reply_to, { message_id: sent.body.message_id }, 'reply_to');
			return `reply_to ${sent.body.message_id}`;
		},
	);

	for (const [app, label] of APPS.slice(1)) {
		await check(`${label}: links and quoted replies work in its own style`, async () => {
			await page.locator(`[data-app-tab="${app}"]`).click();
			const id = await send(app, question);
			await row(id).waitFor();
			const href = await row(id).locator('.bubble a').getAttribute('href');
			assert(href === link, `href ${href}`);
			await answerQuestion(app, id);
			await shoot(label, id);
			return `reply_to ${id}`;
		});
	}

	await check('screenshot of the three channel styles: .e2e/phone-reply.png', async () => {
		assert(shots.length === 3, `${shots.length} phones captured`);
		const viewer = await page.context().newPage();
		try {
			await viewer.setViewportSize({ width: 1260, height: 860 });
			await viewer.setContent(
				`<body style="margin:0;padding:20px;display:flex;gap:20px;background:#f3f5f9;font:14px sans-serif">${shots
					.map(
						(s) =>
							`<figure style="margin:0;text-align:center"><img src="data:image/png;base64,${s.png.toString('base64')}"><figcaption>${s.label}</figcaption></figure>`,
					)
					.join('')}</body>`,
			);
			await viewer.screenshot({ path: join(outDir, 'phone-reply.png'), fullPage: true });
		} finally {
			await viewer.close();
		}
	});
}
