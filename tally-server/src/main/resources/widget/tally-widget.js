/*
 * Tally's stand-in for Intercom's Messenger script, served at GET /widget/{app_id}.
 *
 * A page that runs Intercom's standard install snippet loads this instead of Intercom's widget and
 * keeps working: window.Intercom('boot' | 'update' | 'trackEvent' | 'shutdown' | 'getVisitorId', ...)
 * behave as documented by Intercom, and the Messenger's UI methods (show, hide, onShow, ...) do
 * nothing and never throw. Events go to Tally's browser endpoint, POST {api_base}/browser/{app_id}/events
 * (wire shape in docs/api.md).
 *
 * Delivery, so that nothing a browser can keep is lost:
 *  - calls made close together (within BATCH_DELAY_MS) go in one batch;
 *  - batches wait in a bounded localStorage queue, so a reload or a crash of the tab keeps them;
 *  - one batch is in flight at a time, in order; a batch keeps its id across retries, and the
 *    server stamps it once, so a retry of a batch that did arrive stores nothing twice;
 *  - 429, 5xx and network failures are retried with capped exponential backoff and jitter; any other
 *    4xx drops the batch with a console warning (retrying would fail the same way);
 *  - on pagehide or when the page is hidden, everything queued is sent with fetch keepalive
 *    (sendBeacon where that is refused), which outlives the page;
 *  - going back online retries at once.
 *
 * No code made from strings (eval, the Function constructor), no inline handlers, no custom request
 * headers: it runs under a strict Content-Security-Policy that allows the Tally origin in script-src
 * and connect-src, and its POSTs are CORS "simple" requests (a text/plain body): no preflight.
 */
(function (window, document) {
  'use strict';

  var BATCH_DELAY_MS = 1000;          // how long a first call waits for others to join its batch
  var MAX_EVENTS_PER_BATCH = 50;      // the server takes up to 100
  var MAX_BATCH_CHARS = 48 * 1024;    // keepalive and sendBeacon bodies are capped at 64 KiB
  var MAX_QUEUED_EVENTS = 1000;       // the oldest are dropped beyond this, with a warning
  var RETRY_BASE_MS = 1000;
  var RETRY_CAP_MS = 60 * 1000;

  var previous = window.Intercom;
  var storage = localStorageOrNull();

  var script = document.currentScript;
  var scriptUrl = script && script.src ? script.src : '';

  var appId = null;       // from settings, else from this script's URL (/widget/APP_ID)
  var apiBase = null;     // from settings.api_base, else this script's origin
  var identity = {};      // user_id, email, name, user_hash of the booted user
  var queue = [];         // batches: {id, who: {...}, events: [...], tries, due, sealed}
  var inFlight = null;    // the id of the batch being sent
  var flushed = {};       // ids of batches handed to the browser by flushAll on this page
  var timer = null;

  // ---- small helpers

  function warn(message) {
    if (window.console && window.console.warn) {
      window.console.warn('[tally] ' + message);
    }
  }

  function localStorageOrNull() {
    try {
      var probe = '__tally__';
      window.localStorage.setItem(probe, probe);
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null; // private mode or blocked: the queue lives in memory only
    }
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    var out = '';
    for (var i = 0; i < bytes.length; i++) {
      out += (bytes[i] + 0x100).toString(16).slice(1);
    }
    return out;
  }

  function text(value) {
    return value === undefined || value === null || value === '' ? undefined : String(value);
  }

  // ---- settings and identity

  function scriptAppId() {
    var match = /\/widget\/([a-z0-9]+)(?:[?#]|$)/.exec(scriptUrl);
    return match ? match[1] : null;
  }

  function scriptOrigin() {
    var match = /^(https?:\/\/[^\/]+)/.exec(scriptUrl);
    return match ? match[1] : '';
  }

  function applySettings(settings) {
    if (!settings || typeof settings !== 'object') {
      return;
    }
    if (settings.app_id) {
      appId = String(settings.app_id);
    }
    if (settings.api_base) {
      apiBase = String(settings.api_base).replace(/\/+$/, '');
    }
    var keys = ['user_id', 'email', 'name', 'user_hash'];
    var changed = false;
    for (var i = 0; i < keys.length; i++) {
      if (keys[i] in settings) {
        var value = text(settings[keys[i]]);
        if (identity[keys[i]] !== value) {
          identity[keys[i]] = value;
          changed = true;
        }
      }
    }
    return changed;
  }

  function storageKey(name) {
    return name + '-' + appId;
  }

  // Intercom's own key, so a visitor keeps one id across the switch to Tally.
  function visitorId(create) {
    var key = storageKey('intercom-id');
    var id = storage ? storage.getItem(key) : memoryVisitor;
    if (!id && create) {
      id = randomId();
      if (storage) {
        storage.setItem(key, id);
      } else {
        memoryVisitor = id;
      }
    }
    return id || undefined;
  }
  var memoryVisitor = null;

  function who() {
    var named = identity.user_id || identity.email;
    return {
      visitor_id: visitorId(!named),
      user_id: identity.user_id,
      email: identity.email,
      name: identity.name,
      user_hash: identity.user_hash
    };
  }

  function sameWho(a, b) {
    return a.visitor_id === b.visitor_id && a.user_id === b.user_id && a.email === b.email &&
      a.name === b.name && a.user_hash === b.user_hash;
  }

  // ---- the queue

  function load() {
    if (!storage) {
      return;
    }
    try {
      var stored = JSON.parse(storage.getItem(storageKey('tally-queue')) || '[]');
      if (Object.prototype.toString.call(stored) === '[object Array]') {
        for (var i = 0; i < stored.length; i++) {
          stored[i].sealed = true; // a batch from an earlier page may have been sent: keep it as is
          stored[i].due = 0;
        }
        queue = stored.concat(queue);
      }
    } catch (e) {
      warn('the stored event queue was unreadable and is dropped');
    }
  }

  function save() {
    if (!storage) {
      return;
    }
    try {
      storage.setItem(storageKey('tally-queue'), JSON.stringify(queue));
    } catch (e) {
      warn('could not store the event queue: ' + e);
    }
  }

  function queuedEvents() {
    var count = 0;
    for (var i = 0; i < queue.length; i++) {
      count += queue[i].events.length;
    }
    return count;
  }

  function enqueue(event) {
    var current = who();
    var last = queue[queue.length - 1];
    var fits = last && !last.sealed && last.events.length < MAX_EVENTS_PER_BATCH &&
      JSON.stringify(last).length + JSON.stringify(event || {}).length < MAX_BATCH_CHARS;
    if (!fits || !sameWho(last.who, current) || !event) {
      if (last) {
        last.sealed = true;
      }
      last = {id: randomId(), who: current, events: [], tries: 0, due: 0, sealed: false};
      queue.push(last);
    }
    if (event) {
      last.events.push(event);
    } else {
      last.sealed = true; // an identify call travels alone
    }
    while (queuedEvents() > MAX_QUEUED_EVENTS && queue.length > 1) {
      var dropped = queue.shift();
      warn('the event queue is full; dropped ' + dropped.events.length + ' of the oldest events');
    }
    save();
    schedule(BATCH_DELAY_MS);
  }

  function schedule(delay) {
    if (timer !== null) {
      return;
    }
    timer = window.setTimeout(function () {
      timer = null;
      flush();
    }, delay);
  }

  function body(batch) {
    return JSON.stringify({
      batch_id: batch.id,
      visitor_id: batch.who.visitor_id,
      user_id: batch.who.user_id,
      email: batch.who.email,
      name: batch.who.name,
      user_hash: batch.who.user_hash,
      events: batch.events
    });
  }

  function endpoint() {
    return (apiBase || scriptOrigin()) + '/browser/' + encodeURIComponent(appId) + '/events';
  }

  function remove(batch) {
    for (var i = 0; i < queue.length; i++) {
      if (queue[i].id === batch.id) {
        queue.splice(i, 1);
        save();
        return;
      }
    }
  }

  function backoff(batch, retryAfterSeconds) {
    batch.tries += 1;
    var delay = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * Math.pow(2, batch.tries - 1));
    delay = delay / 2 + Math.random() * delay / 2; // jitter: browsers that failed together spread out
    if (retryAfterSeconds > 0) {
      delay = Math.max(delay, Math.min(RETRY_CAP_MS, retryAfterSeconds * 1000));
    }
    batch.due = new Date().getTime() + delay;
    save();
  }

  function nextDue() {
    var soonest = null;
    for (var i = 0; i < queue.length; i++) {
      if (soonest === null || queue[i].due < soonest) {
        soonest = queue[i].due;
      }
    }
    return soonest;
  }

  // Sends the oldest due batch, then the next, one at a time so they arrive in order.
  function flush() {
    if (inFlight !== null || !appId || !window.fetch) {
      return;
    }
    var now = new Date().getTime();
    var batch = queue[0];
    if (!batch) {
      return;
    }
    if (batch.due > now) {
      schedule(batch.due - now);
      return;
    }
    batch.sealed = true;
    save();
    inFlight = batch.id;
    send(batch, function (status, answer, retryAfter) {
      inFlight = null;
      if (status >= 200 && status < 300) {
        remove(batch);
        reportRejected(answer);
      } else if (status === 0 || status === 429 || status >= 500) {
        backoff(batch, retryAfter);
      } else {
        remove(batch);
        warn('a batch of ' + batch.events.length + ' events was refused (' + status + '): ' + message(answer));
      }
      var due = nextDue();
      if (due !== null) {
        schedule(Math.max(0, due - new Date().getTime()));
      }
    });
  }

  function send(batch, done) {
    var request;
    try {
      request = window.fetch(endpoint(), {
        method: 'POST',
        body: body(batch),          // a string: sent as text/plain, so no preflight
        keepalive: true,            // finishes even if the page goes away meanwhile
        credentials: 'omit',
        mode: 'cors'
      });
    } catch (e) {
      done(0, null, 0);
      return;
    }
    request.then(function (response) {
      var retryAfter = parseInt(response.headers.get('Retry-After') || '0', 10) || 0;
      return response.text().then(function (answer) {
        done(response.status, answer, retryAfter);
      });
    }, function () {
      done(0, null, 0); // offline, refused, or not allowed by CORS: retried later
    });
  }

  function message(answer) {
    try {
      return JSON.parse(answer).errors[0].message;
    } catch (e) {
      return 'no details';
    }
  }

  function reportRejected(answer) {
    try {
      var results = JSON.parse(answer).results || [];
      for (var i = 0; i < results.length; i++) {
        if (results[i].status === 'rejected') {
          warn('event ' + i + ' of a batch was rejected: ' + results[i].errors[0].message);
        }
      }
    } catch (e) {
      // an answer without results: nothing to report
    }
  }

  // The page is going away or out of sight: hand everything queued to the browser now. Batches
  // stay in storage until answered, so the next page sends again what did not arrive; the server
  // recognizes a batch id it has seen and stores nothing twice.
  function flushAll() {
    if (!appId) {
      return;
    }
    for (var i = 0; i < queue.length; i++) {
      var batch = queue[i];
      if (batch.id === inFlight || flushed[batch.id]) {
        continue; // its keepalive request is on its way, and outlives the page
      }
      flushed[batch.id] = true;
      batch.sealed = true;
      var sent = false;
      try {
        if (window.fetch) {
          window.fetch(endpoint(), {method: 'POST', body: body(batch), keepalive: true, credentials: 'omit', mode: 'cors'})
            .then(answered(batch), function () {});
          sent = true;
        }
      } catch (e) {
        sent = false; // the keepalive budget (64 KiB in flight) is spent
      }
      if (!sent && navigator.sendBeacon) {
        navigator.sendBeacon(endpoint(), new Blob([body(batch)], {type: 'text/plain'}));
      }
    }
    save();
  }

  function answered(batch) {
    return function (response) {
      if (response.ok || (response.status >= 400 && response.status < 500 && response.status !== 429)) {
        remove(batch);
      }
    };
  }

  // ---- the Intercom API

  var methods = {
    boot: function (settings) {
      applySettings(settings || window.intercomSettings);
      if (identity.user_id || identity.email) {
        enqueue(null); // creates the user in Tally, and merges this visitor's lead into it
      }
    },
    update: function (settings) {
      if (applySettings(settings) && (identity.user_id || identity.email)) {
        enqueue(null);
      }
    },
    trackEvent: function (name, metadata) {
      if (typeof name !== 'string' || name === '') {
        warn('trackEvent needs an event name');
        return;
      }
      var event = {event_name: name};
      if (metadata && typeof metadata === 'object') {
        event.metadata = metadata;
      }
      enqueue(event);
    },
    shutdown: function () {
      flushAll();
      identity = {};
      if (storage) {
        storage.removeItem(storageKey('intercom-id'));
      }
      memoryVisitor = null;
    },
    getVisitorId: function () {
      return visitorId(true);
    }
  };

  function Intercom(method) {
    var handler = methods[method];
    if (!handler) {
      return undefined; // show, hide, showNewMessage, onShow, ...: there is no Messenger to drive
    }
    try {
      return handler.apply(null, Array.prototype.slice.call(arguments, 1));
    } catch (e) {
      warn('Intercom(' + method + ') failed: ' + e);
      return undefined;
    }
  }

  // ---- start

  var queued = previous && previous.q ? previous.q : [];
  appId = scriptAppId();
  applySettings(window.intercomSettings);
  if (!appId) {
    warn('no app_id: set window.intercomSettings.app_id or load the script from /widget/APP_ID');
    return;
  }
  load();
  window.Intercom = Intercom;
  // Intercom boots itself from window.intercomSettings when it loads, then runs what the stub queued.
  if (window.intercomSettings && (identity.user_id || identity.email)) {
    enqueue(null);
  }
  for (var i = 0; i < queued.length; i++) {
    Intercom.apply(null, Array.prototype.slice.call(queued[i]));
  }

  window.addEventListener('pagehide', flushAll);
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') {
      flushAll();
    }
  });
  window.addEventListener('online', function () {
    for (var j = 0; j < queue.length; j++) {
      queue[j].due = 0;
    }
    flush();
  });
  if (queue.length > 0) {
    schedule(0);
  }
})(window, document);
