/*
 * Browser client of the push server, served by it at /push.js (no build step, no dependencies).
 *
 *   <script src="http://127.0.0.1:8080/push.js"></script>
 *   <script>
 *     const client = new PushClient({
 *       key: "alice",
 *       onMessage: (msg, mid) => console.log(mid, msg),
 *     }).start();
 *   </script>
 *
 * The flow is gopush-cluster's (PROTOCOL.md): look up the node that owns the key (/1/server/get),
 * subscribe over WebSocket (/sub, versioned form), send the heartbeat "h", and after every
 * subscription fetch what was missed since the last mid seen (/1/msg/get). Each message is delivered
 * once, in mid order: only a mid greater than the last one delivered gets through, and messages that
 * arrive on the socket while the fetch is under way wait for it. Public messages (gid 1, sent to every
 * subscriber) have ids of their own, tracked apart as gopush-cluster's SDKs track pmid: they are
 * fetched with the private ones (pm=) and delivered once each, in pmid order, with onMessage's third
 * argument {public: true}. A dropped connection, or a node that
 * answers -n, sends the client back to the lookup after an exponential backoff with jitter. A
 * connection kicked (-k: another connection of the key took its place, or an admin kicked it) or
 * banned (-b) is reported with onError (code "kicked" or "banned") and the client stops: it does not
 * reconnect by itself, since that would kick the other connection in turn; start() starts it again.
 *
 * Options: key (required); url of the server (default: where this script was loaded from); heartbeat
 * in seconds (default 30, at least the server's push.heartbeat.min); token (a string, or a function
 * returning one or a promise of one, asked before every connection); mid to start after (default: the
 * server's /1/time/get); pmid, the public message id to start after (default: as mid); minDelay and maxDelay of the backoff in ms (default 1000 and 30000);
 * requestTimeout in ms (default 10000); callbacks onMessage(msg, mid, {public}), onOpen({server}),
 * onClose({code, reason}), onError(error) where error.code is one of ERROR_CODES.
 *
 * HTTP requests use fetch when the server is the page's own origin, JSONP otherwise (the server sends
 * no CORS headers; gopush-cluster's SDK did the same).
 */
(function (global) {
  "use strict";

  /** The server's refusals (PROTOCOL.md A.4) and the error code each is reported with. */
  var REFUSALS = {
    "-p": "bad-parameter",
    "-n": "not-owner",
    "-c": "no-tokens",
    "-a": "bad-token",
    "-k": "kicked",
    "-b": "banned",
  };
  /** The close codes the server ends a connection with on purpose (the README's replies), as refusals. */
  var CLOSE_CODES = { 4409: "kicked", 4403: "banned" };
  /** Refusals after which the client stops instead of reconnecting. */
  var FINAL = { kicked: true, banned: true };
  /** Refusals that retrying soon cannot cure: the next attempt waits the longest delay. */
  var LASTING = { "bad-parameter": true, "no-tokens": true, "bad-token": true };

  var ERROR_CODES = [
    "bad-parameter", "not-owner", "no-tokens", "bad-token", // the server refused the subscription
    "kicked", "banned", // the server ended the connection on purpose; the client stops
    "no-node", // /1/server/get: no node serves the key (ret 1001)
    "lookup-failed", "time-failed", "fetch-failed", // an HTTP request failed or answered ret != 0
    "connection-failed", // the WebSocket closed before the server accepted the subscription
    "no-answer", // the server stopped answering heartbeats
    "bad-frame", // a frame that is not a message
    "token-failed", // the token function threw or its promise was rejected
  ];

  var scriptUrl = (function () {
    var script = typeof document !== "undefined" ? document.currentScript : null;
    return script && script.src ? script.src : null;
  })();

  var jsonpCounter = 0;

  function pushError(code, message, cause) {
    var error = new Error(message);
    error.code = code;
    if (cause !== undefined) {
      error.cause = cause;
    }
    return error;
  }

  function isPushError(error) {
    return ERROR_CODES.indexOf(error.code) >= 0;
  }

  function call(callback, argument1, argument2, argument3) {
    try {
      callback(argument1, argument2, argument3);
    } catch (error) {
      // a failing callback must not break the client: report it as an uncaught error
      setTimeout(function () { throw error; });
    }
  }

  function noop() {}

  class PushClient {
    constructor(options) {
      if (!options || typeof options.key !== "string" || options.key === "") {
        throw new TypeError("PushClient: options.key must be a non-empty string");
      }
      var heartbeat = options.heartbeat === undefined ? 30 : options.heartbeat;
      if (!Number.isInteger(heartbeat) || heartbeat < 1) {
        throw new TypeError("PushClient: options.heartbeat must be a whole number of seconds");
      }
      if (options.mid !== undefined && options.mid !== null && !(Number.isSafeInteger(options.mid) && options.mid >= 0)) {
        throw new TypeError("PushClient: options.mid must be a non-negative integer");
      }
      if (options.pmid !== undefined && options.pmid !== null && !(Number.isSafeInteger(options.pmid) && options.pmid >= 0)) {
        throw new TypeError("PushClient: options.pmid must be a non-negative integer");
      }
      this.key = options.key;
      this.url = new URL(options.url || scriptUrl || global.location.href);
      this.heartbeat = heartbeat;
      this.token = options.token;
      this.minDelay = options.minDelay === undefined ? 1000 : options.minDelay;
      this.maxDelay = options.maxDelay === undefined ? 30000 : options.maxDelay;
      this.requestTimeout = options.requestTimeout === undefined ? 10000 : options.requestTimeout;
      this.onMessage = options.onMessage || noop;
      this.onOpen = options.onOpen || noop;
      this.onClose = options.onClose || noop;
      this.onError = options.onError || noop;
      /** The mid of the last message delivered (or the starting point); null until known. */
      this.lastMid = options.mid === undefined ? null : options.mid;
      /** The pmid of the last public message delivered (or the starting point); null until known. */
      this.lastPmid = options.pmid === undefined ? null : options.pmid;
      /** host:port of the node subscribed to, while subscribed. */
      this.server = null;

      this._running = false;
      this._generation = 0; // bumped by every connection attempt and by stop(): stale steps see it
      this._attempt = 0; // failures since the last healthy connection: the backoff's exponent
      this._retryTimer = null;
      this._socket = null;
      this._subscribed = false;
      this._heartbeatTimer = null;
      this._heardAt = 0;
      this._catchUp = null; // {pending: [...]} while the fetch after a subscription is under way
      this._onOnline = this._retryNow.bind(this);
    }

    /** True while subscribed: the server has answered +h. */
    get connected() {
      return this._subscribed;
    }

    start() {
      if (!this._running) {
        this._running = true;
        if (global.addEventListener) {
          global.addEventListener("online", this._onOnline);
        }
        this._connect();
      }
      return this;
    }

    /** Closes the connection and stops reconnecting; start() resumes from the last mid delivered. */
    stop() {
      if (!this._running) {
        return;
      }
      this._running = false;
      this._generation++;
      clearTimeout(this._retryTimer);
      this._retryTimer = null;
      this._catchUp = null;
      if (global.removeEventListener) {
        global.removeEventListener("online", this._onOnline);
      }
      if (this._socket) {
        this._closed(this._socket, { code: 1000, reason: "stopped" }, null);
      }
    }

    async _connect() {
      var generation = ++this._generation;
      var stale = () => generation !== this._generation;
      try {
        if (this.lastMid === null || this.lastPmid === null) {
          var timeId = await this._timeId();
          if (this.lastMid === null) this.lastMid = timeId;
          if (this.lastPmid === null) this.lastPmid = timeId;
          if (stale()) return;
        }
        var server = await this._lookup();
        if (stale()) return;
        var token = await this._currentToken();
        if (stale()) return;
        this._open(server, token);
      } catch (error) {
        if (stale()) return;
        call(this.onError, isPushError(error) ? error : pushError("connection-failed", error.message, error));
        this._retryLater(false);
      }
    }

    async _timeId() {
      var reply = await this._get("/1/time/get", {}, "time-failed");
      if (reply.ret !== 0 || !reply.data || !Number.isSafeInteger(reply.data.timeid)) {
        throw pushError("time-failed", "/1/time/get answered " + JSON.stringify(reply));
      }
      return reply.data.timeid;
    }

    async _lookup() {
      var reply = await this._get("/1/server/get", { k: this.key, p: "1" }, "lookup-failed");
      if (reply.ret === 1001) {
        throw pushError("no-node", "no node serves the key " + this.key);
      }
      if (reply.ret !== 0 || !reply.data) {
        throw pushError("lookup-failed", "/1/server/get answered ret " + reply.ret);
      }
      // the server says when its WebSocket listener speaks TLS
      return { server: reply.data.server, tls: reply.data.tls === true };
    }

    async _currentToken() {
      if (typeof this.token !== "function") {
        return this.token;
      }
      try {
        return await this.token();
      } catch (error) {
        throw pushError("token-failed", "the token function failed", error);
      }
    }

    _open(found, token) {
      var server = found.server;
      var secure = found.tls || this.url.protocol === "https:" || (global.location && global.location.protocol === "https:");
      var query = "key=" + encodeURIComponent(this.key) + "&heartbeat=" + this.heartbeat + "&ver=1";
      if (token !== undefined && token !== null && token !== "") {
        query += "&token=" + encodeURIComponent(token);
      }
      var socket = new WebSocket((secure ? "wss://" : "ws://") + server + "/sub?" + query);
      var refusal = null;
      this._socket = socket;
      this._subscribed = false;
      socket.onmessage = (event) => {
        if (this._socket !== socket) return;
        this._heardAt = Date.now();
        var frame = String(event.data);
        if (frame === "+h\r\n") {
          if (!this._subscribed) {
            this._subscribed = true;
            this.server = server;
            this._startHeartbeat(socket);
            call(this.onOpen, { server: server });
            this._fetchMissed();
          }
        } else if (frame.charAt(0) === "-") {
          var code = REFUSALS[frame.trim()] || "bad-frame";
          refusal = pushError(code, "the server answered " + frame.trim());
          call(this.onError, refusal);
        } else {
          this._received(frame);
        }
      };
      socket.onclose = (event) => {
        if (this._socket !== socket) return;
        if (!refusal && CLOSE_CODES[event.code]) {
          refusal = pushError(CLOSE_CODES[event.code], "the server closed with " + event.code + " " + event.reason);
          call(this.onError, refusal);
        }
        this._closed(socket, { code: event.code, reason: event.reason }, refusal);
      };
    }

    _startHeartbeat(socket) {
      this._heartbeatTimer = setInterval(() => {
        if (Date.now() - this._heardAt > 2 * this.heartbeat * 1000) {
          call(this.onError, pushError("no-answer", "no answer to the heartbeat"));
          this._closed(socket, { code: 4000, reason: "no answer to the heartbeat" }, null);
          return;
        }
        // a whole heartbeat period without a drop: the connection is healthy again
        this._attempt = 0;
        socket.send("h");
      }, this.heartbeat * 1000);
    }

    _received(frame) {
      var message;
      try {
        message = JSON.parse(frame);
      } catch (error) {
        message = null;
      }
      if (!message || !Number.isSafeInteger(message.mid)) {
        call(this.onError, pushError("bad-frame", "not a message: " + frame.slice(0, 100)));
        return;
      }
      if (this._catchUp) {
        this._catchUp.pending.push(message);
      } else {
        this._deliver(message);
      }
    }

    _deliver(message) {
      if (!this._running) return;
      if (message.gid === 1) {
        if (message.mid > this.lastPmid) {
          this.lastPmid = message.mid;
          call(this.onMessage, message.msg, message.mid, { public: true });
        }
      } else if (message.mid > this.lastMid) {
        this.lastMid = message.mid;
        call(this.onMessage, message.msg, message.mid, { public: false });
      }
    }

    /** What was pushed since the last mid delivered; socket messages wait until it is delivered. */
    async _fetchMissed() {
      var catchUp = { pending: [] };
      var socket = this._socket;
      this._catchUp = catchUp;
      try {
        var reply = await this._get("/1/msg/get", { k: this.key, m: String(this.lastMid), pm: String(this.lastPmid) },
          "fetch-failed");
        if (this._catchUp !== catchUp) return;
        if (reply.ret !== 0) {
          throw pushError("fetch-failed", "/1/msg/get answered ret " + reply.ret);
        }
        this._catchUp = null;
        (reply.data ? reply.data.msgs : []).forEach((message) => this._deliver(message));
        (reply.data && reply.data.pmsgs ? reply.data.pmsgs : []).forEach((message) => this._deliver(message));
        catchUp.pending.forEach((message) => this._deliver(message));
      } catch (error) {
        if (this._catchUp !== catchUp) return;
        this._catchUp = null;
        call(this.onError, error);
        if (this._socket === socket) {
          // without the missed messages the subscription is not whole: start over
          this._closed(socket, { code: 4001, reason: "could not fetch missed messages" }, null);
        }
      }
    }

    /** Forgets the socket (closing it if still open), reports the close and plans the next attempt. */
    _closed(socket, event, refusal) {
      var wasSubscribed = this._subscribed;
      this._socket = null;
      this._subscribed = false;
      this.server = null;
      clearInterval(this._heartbeatTimer);
      this._heartbeatTimer = null;
      if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) {
        socket.close();
      }
      if (wasSubscribed) {
        call(this.onClose, event);
      } else if (!refusal && this._running) {
        call(this.onError, pushError("connection-failed", "the connection closed before subscribing (code " + event.code + ")"));
      }
      if (this._running && refusal !== null && FINAL[refusal.code] === true) {
        this.stop();
      } else if (this._running) {
        this._retryLater(refusal !== null && LASTING[refusal.code] === true);
      }
    }

    _retryLater(longest) {
      var cap = this.maxDelay;
      if (!longest) {
        cap = Math.min(this.maxDelay, this.minDelay * Math.pow(2, this._attempt));
        this._attempt++;
      }
      var delay = cap / 2 + Math.random() * cap / 2;
      clearTimeout(this._retryTimer);
      this._retryTimer = setTimeout(() => {
        this._retryTimer = null;
        this._connect();
      }, delay);
    }

    /** The browser is back online: a planned attempt need not wait. */
    _retryNow() {
      if (this._running && this._retryTimer !== null) {
        clearTimeout(this._retryTimer);
        this._retryTimer = null;
        this._attempt = 0;
        this._connect();
      }
    }

    _get(path, params, code) {
      var url = new URL(path, this.url);
      Object.keys(params).forEach((name) => url.searchParams.set(name, params[name]));
      var request = global.location && url.origin === global.location.origin ? this._fetch(url) : this._jsonp(url);
      return request.catch((error) => {
        throw isPushError(error) ? error : pushError(code, "GET " + path + " failed: " + error.message, error);
      });
    }

    async _fetch(url) {
      var abort = new AbortController();
      var timer = setTimeout(() => abort.abort(), this.requestTimeout);
      try {
        var response = await fetch(url, { cache: "no-store", signal: abort.signal });
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return await response.json();
      } catch (error) {
        throw abort.signal.aborted ? new Error("no reply within " + this.requestTimeout + " ms") : error;
      } finally {
        clearTimeout(timer);
      }
    }

    _jsonp(url) {
      return new Promise((resolve, reject) => {
        var name = "__pushClientReply" + (++jsonpCounter);
        var script = document.createElement("script");
        var timer = setTimeout(() => finish(new Error("no reply within " + this.requestTimeout + " ms")), this.requestTimeout);
        function finish(error, reply) {
          clearTimeout(timer);
          script.remove();
          if (error) {
            // a reply that comes after a time-out must still find a function to call
            global[name] = noop;
            reject(error);
          } else {
            delete global[name];
            resolve(reply);
          }
        }
        global[name] = (reply) => finish(null, reply);
        script.onerror = () => finish(new Error("the request failed"));
        url.searchParams.set("cb", name);
        script.src = url.href;
        (document.head || document.documentElement).appendChild(script);
      });
    }
  }

  PushClient.ERROR_CODES = ERROR_CODES;
  global.PushClient = PushClient;
})(typeof window !== "undefined" ? window : globalThis);
