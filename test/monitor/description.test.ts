import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { FiwanoMonitorTrigger } from '../../nodes/Fiwano/FiwanoMonitorTrigger.node';
import { MONITOR_EVENTS } from '../../nodes/Fiwano/monitor/changes';

const { description } = new FiwanoMonitorTrigger();

describe('Fiwano Monitor Trigger description', () => {
	it('is a polling trigger on the Fiwano credential (n8n adds the Poll Times schedule)', () => {
		expect(description).toMatchObject({
			name: 'fiwanoMonitorTrigger',
			group: ['trigger'],
			polling: true,
			inputs: [],
			credentials: [{ name: 'fiwanoApi', required: true }],
			icon: { light: 'file:fiwano.svg', dark: 'file:fiwano.dark.svg' },
		});
		expect(description.properties.some((p) => p.name === 'pollTimes')).toBe(false);
	});

	it('offers every event, all selected by default, each described', () => {
		const events = description.properties.find((p) => p.name === 'events') as INodeProperties;
		const options = events.options as INodePropertyOptions[];
		expect(options.map((o) => o.value).sort()).toEqual([...MONITOR_EVENTS].sort());
		expect(events.default).toEqual([...MONITOR_EVENTS]);
		expect(options.every((o) => (o.description ?? '').length > 20)).toBe(true);
	});
});
