// Runs before every test file: an isolated n8n user folder and no telemetry, so n8n-core's
// InstanceSettings never touches ~/.n8n. Plain JS because it needs Node's process global.
const { mkdtempSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');

process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'fiwano-n8n-test-'));
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
process.env.N8N_ENCRYPTION_KEY = process.env.N8N_ENCRYPTION_KEY || 'fiwano-test-encryption-key';
process.env.N8N_LOG_LEVEL = 'silent';
