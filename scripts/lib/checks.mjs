// PASS/FAIL checks for the real-n8n scripts: one line per check, `N passed, M failed` at the end.
export function checker() {
	const results = [];
	const failedNames = new Set();
	const line = (ok, name, detail) =>
		process.stdout.write(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}\n`);

	/** Runs one check; `needs` names earlier checks that must have passed (otherwise FAIL at once). */
	async function check(name, fn, { needs = [] } = {}) {
		const missing = needs.filter((n) => failedNames.has(n) || !results.some((r) => r.name === n));
		if (missing.length) {
			results.push({ name, ok: false });
			failedNames.add(name);
			line(false, name, `not run: needs "${missing.join('", "')}"`);
			return false;
		}
		const t0 = Date.now();
		try {
			const detail = await fn();
			results.push({ name, ok: true });
			const s = `${((Date.now() - t0) / 1000).toFixed(1)} s`;
			line(true, name, detail ? `${detail}, ${s}` : s);
			return true;
		} catch (error) {
			results.push({ name, ok: false });
			failedNames.add(name);
			line(false, name, error.message);
			return false;
		}
	}
	const assert = (cond, msg) => {
		if (!cond) throw new Error(msg);
	};
	const fail = (name, detail) => {
		results.push({ name, ok: false });
		failedNames.add(name);
		line(false, name, detail);
	};
	const summary = () => {
		const passed = results.filter((r) => r.ok).length;
		return { passed, failed: results.length - passed };
	};
	return { check, assert, fail, summary };
}
