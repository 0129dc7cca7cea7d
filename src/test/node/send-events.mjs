// Sends identify, group, track and page calls through the official Segment and RudderStack
// Node libraries to the Kizuna at the given URL. Exits non-zero if either library reports an error.
// Usage: node send-events.mjs <baseUrl> <writeKey> <idPrefix>
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';

const [baseUrl, writeKey, prefix] = process.argv.slice(2);
if (!baseUrl || !writeKey || !prefix) {
  console.error('usage: node send-events.mjs <baseUrl> <writeKey> <idPrefix>');
  process.exit(2);
}

function callsFor(library) {
  const userId = `${prefix}-${library}-user`;
  const groupId = `${prefix}-${library}-account`;
  return {
    identify: { userId, traits: { email: `${userId}@libraries.example`, name: `${library} User` } },
    group: { userId, groupId, traits: { name: `${library} Co`, plan: 'team', mrr: 150 } },
    track: { userId, event: 'Report Exported', properties: { format: 'csv' }, context: { groupId } },
    page: { userId, name: 'Pricing', properties: { path: '/pricing' }, context: { groupId } },
  };
}

const errors = [];

async function sendWithSegment() {
  const analytics = new SegmentAnalytics({ writeKey, host: baseUrl, flushAt: 2, flushInterval: 200, maxRetries: 2 });
  analytics.on('error', (error) => errors.push(`segment: ${error.code ?? ''} ${error.reason ?? error.message ?? error}`));
  const calls = callsFor('segment');
  analytics.identify(calls.identify);
  analytics.group(calls.group);
  analytics.track(calls.track);
  analytics.page(calls.page);
  await analytics.closeAndFlush({ timeout: 20000 });
  console.log('segment: sent identify, group, track, page');
}

async function sendWithRudderStack() {
  const analytics = new RudderAnalytics(writeKey, {
    dataPlaneUrl: baseUrl,
    flushAt: 20,
    flushInterval: 200,
    logLevel: 'error',
    errorHandler: (error) => errors.push(`rudderstack: ${error?.message ?? error}`),
  });
  const calls = callsFor('rudderstack');
  analytics.identify(calls.identify);
  analytics.group(calls.group);
  analytics.track(calls.track);
  analytics.page(calls.page);
  await analytics.flush();
  console.log('rudderstack: sent identify, group, track, page');
}

try {
  await sendWithSegment();
  await sendWithRudderStack();
} catch (error) {
  errors.push(`thrown: ${error?.stack ?? error}`);
}
if (errors.length > 0) {
  console.error(errors.join('\n'));
  process.exit(1);
}
