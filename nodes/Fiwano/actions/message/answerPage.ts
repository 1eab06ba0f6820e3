/**
 * The small page behind a Send and Wait answer link. Opening the link (GET) only shows this
 * page; the answer is a POST from its form, so a link preview (WhatsApp, Messenger and
 * Instagram fetch every link they see) can never answer. Plain HTML with no script, so it works
 * under n8n's sandboxing CSP and in any in-app browser.
 */

export interface FormField {
	label: string;
	type: 'text' | 'textarea' | 'number' | 'email' | 'dropdown';
	required: boolean;
	options: string[];
}

export type AnswerForm =
	| { kind: 'approval'; approveLabel: string; disapproveLabel?: string }
	| { kind: 'freeText'; buttonLabel: string }
	| { kind: 'customForm'; buttonLabel: string; fields: FormField[] };

/** The name a custom form field is posted under: its position, so any label is safe. */
export function fieldName(index: number): string {
	return `field-${index}`;
}

export function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

const STYLE = `body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f4f5f7;margin:0;padding:24px;color:#1f2328}
main{max-width:480px;margin:0 auto;background:#fff;border-radius:12px;padding:24px;box-shadow:0 1px 4px rgba(0,0,0,.08)}
h1{font-size:20px;margin:0 0 12px}p.q{white-space:pre-wrap;line-height:1.45}
label{display:block;margin:14px 0 6px;font-weight:600}
input,textarea,select{width:100%;box-sizing:border-box;padding:10px;border:1px solid #c9ced6;border-radius:8px;font:inherit}
textarea{min-height:110px}.row{display:flex;gap:12px;margin-top:20px}
button{flex:1;padding:12px;border:0;border-radius:8px;font:inherit;font-weight:600;cursor:pointer;background:#1a7f37;color:#fff}
button.secondary{background:#eaeef2;color:#1f2328}`;

function page(title: string, body: string): string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

function fieldHtml(field: FormField, index: number): string {
	const name = fieldName(index);
	const required = field.required ? ' required' : '';
	const label = `<label for="${name}">${escapeHtml(field.label)}${field.required ? ' *' : ''}</label>`;
	if (field.type === 'textarea')
		return `${label}<textarea id="${name}" name="${name}"${required}></textarea>`;
	if (field.type === 'dropdown') {
		const options = field.options
			.map((o) => `<option value="${escapeHtml(o)}">${escapeHtml(o)}</option>`)
			.join('');
		return `${label}<select id="${name}" name="${name}"${required}><option value=""></option>${options}</select>`;
	}
	return `${label}<input id="${name}" name="${name}" type="${field.type}"${required}>`;
}

/** The page a GET shows: the question and the buttons or fields that answer it. */
export function questionPage(title: string, message: string, form: AnswerForm): string {
	let controls: string;
	if (form.kind === 'approval') {
		const decline = form.disapproveLabel
			? `<button class="secondary" name="choice" value="disapprove">${escapeHtml(form.disapproveLabel)}</button>`
			: '';
		controls = `<div class="row">${decline}<button name="choice" value="approve">${escapeHtml(form.approveLabel)}</button></div>`;
	} else if (form.kind === 'freeText') {
		controls = `<label for="text">Your answer</label><textarea id="text" name="text" required></textarea><div class="row"><button>${escapeHtml(form.buttonLabel)}</button></div>`;
	} else {
		controls = `${form.fields.map(fieldHtml).join('')}<div class="row"><button>${escapeHtml(form.buttonLabel)}</button></div>`;
	}
	// No action attribute: the form posts to this very URL, signature included.
	return page(
		title,
		`<h1>${escapeHtml(title)}</h1><p class="q">${escapeHtml(message)}</p><form method="post">${controls}</form>`,
	);
}

/** The page after a POST: what happened, in words a person understands. */
export function resultPage(heading: string, text: string): string {
	return page(heading, `<h1>${escapeHtml(heading)}</h1><p class="q">${escapeHtml(text)}</p>`);
}
