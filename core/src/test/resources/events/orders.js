// The orders EventEmitterTest expects, as real Node v20 prints them: `node orders.js > orders.out`.
// Each section names the Node test (test/parallel/) whose rule it exercises.
'use strict';
const EE = require('events');
let log;
function section(name, body) { log = []; body(); console.log('=== ' + name + '\n' + log.join('\n')); }
const warnings = [];
process.on('warning', (w) => warnings.push(`${w.name} count=${w.count} type=${String(w.type)}: ${w.message}`));

// test-event-emitter-add-listeners.js: 'newListener' comes before the listener is added, for on and once
section('newListener', () => {
  const e = new EE(); const f = () => {}; const g = () => {};
  e.on('newListener', (t, l) => log.push(`new ${t} count=${e.listenerCount(t)} given=${l === f ? 'f' : l === g ? 'g' : '?'}`));
  e.on('x', f); e.once('x', g);
});

// test-event-emitter-remove-listeners.js, test-event-emitter-once.js: a once listener is removed
// ('removeListener') before its body runs; alone it reports the listener, among others its wrapper
section('onceRemoval', () => {
  const e = new EE(); const a = () => log.push('a body'); const b = () => log.push('b body');
  e.on('removeListener', (t, l) => log.push(`removed ${t} ${l === a ? 'a' : l === b ? 'b' : l.listener === a ? 'wrap(a)' : '?'}`));
  e.once('x', a); e.emit('x'); log.push('-'); e.once('x', a); e.once('x', b); e.emit('x');
});

// test-event-emitter-once.js: a once listener that re-emits; the second runs in the nested emit only
section('onceReEmit', () => {
  const e = new EE();
  e.once('e', () => { log.push('first'); e.emit('e'); });
  e.once('e', () => log.push('second'));
  e.emit('e'); log.push('count ' + e.listenerCount('e'));
});

// test-event-emitter-remove-all-listeners.js: last first, one 'removeListener' each; without a type,
// every event in key order, 'removeListener' itself last (unreported)
section('removeAll', () => {
  const e = new EE(); const f1 = () => {}, f2 = () => {}, f3 = () => {};
  const name = (l) => (l === f1 ? 'f1' : l === f2 ? 'f2' : l === f3 ? 'f3' : '?');
  e.on('removeListener', (t, l) => log.push(`rm ${t} ${name(l)}`));
  e.on('x', f1); e.on('x', f2); e.on('y', f3); e.removeAllListeners('x'); log.push('-');
  e.on('x', f1); e.removeAllListeners();
  log.push('names ' + e.eventNames().length);
});

// test-event-emitter-errors.js, test-event-emitter-error-monitor.js
section('errors', () => {
  const e = new EE(); e.on(EE.errorMonitor, (er) => log.push('monitor ' + er.message));
  try { e.emit('error', new Error('boom')); } catch (x) { log.push('thrown ' + x.message); }
  e.on('error', (er) => log.push('handled ' + er.message)); e.emit('error', new Error('two'));
  try { new EE().emit('error', 'bad'); } catch (x) { log.push(`${x.code} ${x.message} context=${x.context}`); }
});

// test-event-emitter-prepend.js, test-event-emitter-listeners.js, test-event-emitter-num-args.js,
// test-event-emitter-special-event-names.js (eventNames in JavaScript's key order)
section('prependAndInspect', () => {
  const e = new EE(); const a = (x, y) => log.push(`a ${x} ${y}`), b = (x) => log.push(`b ${x}`), c = () => log.push('c');
  const name = (f) => (f === a ? 'a' : f === b ? 'b' : f === c ? 'c' : f.listener === c ? 'wrap(c)' : '?');
  e.on('x', a); e.prependListener('x', b); e.prependOnceListener('x', c);
  log.push('listeners ' + e.listeners('x').map(name).join(','));
  log.push('raw ' + e.rawListeners('x').map(name).join(','));
  log.push('emit ' + e.emit('x', 1, 2)); e.emit('x', 3);
  log.push('none ' + e.emit('nothing', 1));
  e.on('b', c); e.on('10', c); e.on('2', c); e.on(EE.errorMonitor, c); e.on('01', c);
  log.push('names ' + e.eventNames().map(String).join(','));
  e.once('y', c); const w = e.rawListeners('y')[0]; w(); w(); log.push('y count ' + e.listenerCount('y'));
});

// test-event-emitter-max-listeners-warning.js, test-event-emitter-check-listener-leaks.js: one
// warning per event, again only after its listeners fell to one; 0 is unlimited
section('maxListeners', () => {
  const e = new EE(); e.setMaxListeners(2); const fs = [1, 2, 3, 4].map(() => () => {});
  for (const f of fs) e.on('a', f);
  log.push('max ' + e.getMaxListeners());
  e.removeListener('a', fs[3]); e.removeListener('a', fs[2]); e.on('a', fs[2]);
  e.removeListener('a', fs[2]); e.removeListener('a', fs[1]); e.on('a', fs[1]); e.on('a', fs[2]);
  const d = new EE(); log.push('default ' + d.getMaxListeners()); for (let i = 0; i < 11; i++) d.on('b', () => {});
  const z = new EE(); z.setMaxListeners(0); for (let i = 0; i < 20; i++) z.on('c', () => {});
});
process.nextTick(() => console.log('=== warnings\n' + warnings.join('\n')));
