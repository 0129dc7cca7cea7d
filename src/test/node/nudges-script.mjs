// Runs /v1/nudges.js, as served by Kizuna at the given URL, against a minimal stand-in for the
// browser's DOM: waits for the user's four pending nudges (a modal, a banner, a toast and an inline
// one), then closes the modal with Escape, follows the banner's call to action and closes the toast
// with its button; the inline one stays. Prints what was shown as JSON; exits non-zero on a timeout or a script error.
// Usage: node nudges-script.mjs <baseUrl> <writeKey> <userId>
// Only Node's built-ins: fetch, streams, TextDecoder and URL are the same as in a browser.

const [baseUrl, writeKey, userId] = process.argv.slice(2);
if (!baseUrl || !writeKey || !userId) {
  console.error('usage: node nudges-script.mjs <baseUrl> <writeKey> <userId>');
  process.exit(2);
}
setTimeout(() => {
  console.error('timed out: ' + JSON.stringify(document.body.describe()));
  process.exit(1);
}, 20000).unref();

/** Just enough of an element for the script: tree, attributes, listeners, text. */
class FakeElement {
  constructor(tagName) {
    this.tagName = tagName.toUpperCase();
    this.children = [];
    this.parentNode = null;
    this.attributes = {};
    this.listeners = {};
    this.className = '';
    this.id = '';
    this.text = '';
  }
  appendChild(child) { return this.insertBefore(child, null); }
  insertBefore(child, before) {
    if (child.parentNode) child.parentNode.removeChild(child);
    const at = before ? this.children.indexOf(before) : -1;
    this.children.splice(at < 0 ? this.children.length : at, 0, child);
    child.parentNode = this;
    return child;
  }
  removeChild(child) {
    this.children = this.children.filter((c) => c !== child);
    child.parentNode = null;
    return child;
  }
  get firstChild() { return this.children[0] || null; }
  setAttribute(name, value) { this.attributes[name] = String(value); }
  getAttribute(name) { return name in this.attributes ? this.attributes[name] : null; }
  addEventListener(type, listener) { (this.listeners[type] ||= []).push(listener); }
  removeEventListener(type, listener) { this.listeners[type] = (this.listeners[type] || []).filter((l) => l !== listener); }
  dispatch(type, properties = {}) {
    (this.listeners[type] || []).slice().forEach((listener) => listener({ type, preventDefault() {}, ...properties }));
  }
  click() { this.dispatch('click'); }
  focus() { document.activeElement = this; }
  set textContent(value) { this.children = []; this.text = String(value); }
  get textContent() { return this.text + this.children.map((c) => c.textContent).join(''); }
  set innerHTML(value) { throw new Error('the script must never set innerHTML, was given ' + value); }
  get innerHTML() { throw new Error('the script must never read innerHTML'); }
  all() { return [this, ...this.children.flatMap((c) => c.all())]; }
  querySelector(selector) {
    const className = selector.replace(/^\./, '');
    return this.all().slice(1).find((e) => e.className.split(' ').includes(className)) || null;
  }
  describe() {
    return { tag: this.tagName, className: this.className, text: this.text, attributes: this.attributes,
      children: this.children.map((c) => c.describe()) };
  }
}

const documentNode = new FakeElement('#document');
globalThis.document = Object.assign(documentNode, {
  head: new FakeElement('head'),
  body: new FakeElement('body'),
  activeElement: null,
  baseURI: baseUrl,
  createElement: (tag) => new FakeElement(tag),
  getElementById: (id) => [...document.head.all(), ...document.body.all()].find((e) => e.id === id) || null,
});
globalThis.window = globalThis;

// Counts the reports the script sends, to know when they have all arrived.
const reports = [];
const realFetch = fetch;
globalThis.fetch = (url, init = {}) => {
  const call = realFetch(url, init);
  if (init.method === 'POST') reports.push(call.then((response) => `${String(url).replace(/.*\/v1\/nudges\//, '')} ${response.status}`));
  return call;
};

const script = await realFetch(new URL('/v1/nudges.js', baseUrl));
(0, eval)(await script.text());

const slot = document.body.appendChild(new FakeElement('div'));
slot.className = 'product-slot';
const announced = [];
const client = Kizuna.nudges({ host: baseUrl + '/', writeKey, userId, container: slot, onNudge: (nudge) => { announced.push(nudge.id); } });

const nudgeBoxes = () => document.body.all().filter((e) => e.className.startsWith('kizuna-nudge '));
while (nudgeBoxes().length < 4) {
  await new Promise((resolve) => setTimeout(resolve, 50));
}

// By placement: the page order is the script's to choose (a banner goes first in the body).
const shown = Object.fromEntries(nudgeBoxes().map((box) => [box.className.replace('kizuna-nudge kizuna-', ''), {
  className: box.className,
  attributes: box.attributes,
  title: box.children.find((e) => e.tagName === 'H2').textContent,
  body: box.children.find((e) => e.tagName === 'P').textContent,
  ctaHref: box.querySelector('.kizuna-cta')?.href ?? null,
  ctaLabel: box.querySelector('.kizuna-cta')?.textContent ?? null,
  closeLabel: box.querySelector('.kizuna-close').getAttribute('aria-label'),
  parent: box.parentNode.className || box.parentNode.tagName,
}]));
const focusedInModal = document.activeElement?.className ?? null;

const banner = nudgeBoxes().find((box) => box.className === 'kizuna-nudge kizuna-banner');
const toast = nudgeBoxes().find((box) => box.className === 'kizuna-nudge kizuna-toast');
document.dispatch('keydown', { key: 'Escape' });
banner.querySelector('.kizuna-cta').click();
toast.querySelector('.kizuna-close').click();

while (reports.length < 7) {
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const answers = await Promise.all(reports);
client.close();

console.log(JSON.stringify({
  announced,
  shown,
  focusedInModal,
  remaining: nudgeBoxes().length,
  reports: answers.sort(),
}));
process.exit(0);
