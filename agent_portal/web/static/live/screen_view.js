/* The screen viewer: the customer's picture, pulled one update at a time over the tab's
   live channel (live.js), and, while the customer allows control, the pointer and the
   keyboard sent back as screen.input. The layout of an update is isp_common/screen_wire.py:

     binary frame: 20-byte header (kind 16 = SCREEN_UPDATE, stream id at 4, payload length
     at 16), then the update: frame u32, captured-at u64 (ms), width u16, height u16,
     cursor x i16, cursor y i16, flags u8 (1 = keyframe), rectangle count u16, and each
     rectangle: encoding u8 (1 JPEG, 2 COPY, 3 SOLID), x, y, width, height (u16), then
     JPEG: length u32 + bytes; COPY: source x, y (u16); SOLID: red, green, blue (u8).

   Every COPY comes before the first painted rectangle and reads the picture as it was, so
   the copies are drawn first (from one copy of their sources when there are several),
   then the JPEGs and colours in order; every JPEG is decoded before anything is drawn.
   Only the part of the picture the update changed is drawn onto the page's canvas.
   After drawing an update the viewer pulls the next (screen.pull with after_frame); a
   keyframe is asked on joining and whenever the picture was lost. The JPEG quality of what
   moves follows the measured round trip (pull to drawn): slower, lower, at most
   quality.max; what then stands still the customer's side sends again at quality.refine,
   so text that stopped moving turns sharp. */
(function () {
  "use strict";
  var SCREEN_UPDATE = 16;
  var HEADER_BYTES = 20;
  var JPEG = 1, COPY = 2, SOLID = 3;
  var SLOW_MS = 400, FAST_MS = 150;

  var config = JSON.parse(document.getElementById("screen-config").textContent);
  var texts = config.texts;
  var live = window.portalLive;
  var purpose = "screen-view:" + config.consentId;
  var canvas = document.getElementById("screen-canvas");
  var shown = canvas.getContext("2d");
  var stage = document.getElementById("screen-stage");
  var viewer = document.getElementById("screen-viewer"); // full screen: picture and buttons
  var statusLine = document.getElementById("screen-status");
  var controlLine = document.getElementById("screen-control-state");
  var fpsText = document.getElementById("screen-fps");
  var latencyText = document.getElementById("screen-latency");
  var fullButton = document.getElementById("screen-fullscreen");
  var askControl = document.getElementById("control-ask-form");
  var stopControl = document.getElementById("control-stop-form");
  var stopView = document.getElementById("view-stop-form");

  var picture = document.createElement("canvas"); // the customer's picture, without cursor
  var painter = picture.getContext("2d");
  var scratch = document.createElement("canvas"); // the sources of several copies
  scratch.width = 0;
  scratch.height = 0;
  var scratchPainter = scratch.getContext("2d");
  var streamId = null;
  var lastFrame = 0;
  var hasPicture = false;
  var quality = config.quality.start;
  var pulledAt = 0;
  var roundTrip = null;
  var drawnAt = [];
  var pending = [];
  var drawing = false;
  var cursor = { x: -1, y: -1 };
  var viewState = "unknown"; // until the first answer of the state URL
  var controlState = null;
  var shareState = null;
  var retry = null;

  function say(text) { statusLine.textContent = text; }

  // --- pulling ---------------------------------------------------------------------------

  function pull(keyframe) {
    if (viewState !== "granted" || !live) { return; }
    pulledAt = performance.now();
    live.send({
      type: "screen.pull",
      consent_id: config.consentId,
      after_frame: keyframe ? 0 : lastFrame,
      quality: quality,
      refine_quality: config.quality.refine,
      keyframe: !!keyframe,
    });
    // Nothing at all yet (the customer's side may still be starting): ask again.
    clearTimeout(retry);
    if (!hasPicture) { retry = setTimeout(function () { pull(true); }, 3000); }
  }

  function adapt(milliseconds) {
    roundTrip = roundTrip === null ? milliseconds : roundTrip * 0.7 + milliseconds * 0.3;
    if (roundTrip > SLOW_MS) { quality = Math.max(config.quality.min, quality - 10); }
    else if (roundTrip < FAST_MS) { quality = Math.min(config.quality.max, quality + 5); }
  }

  // --- reading an update -----------------------------------------------------------------

  function parse(view) {
    var update = {
      frame: view.getUint32(0),
      capturedAt: view.getUint32(4) * 4294967296 + view.getUint32(8),
      width: view.getUint16(12),
      height: view.getUint16(14),
      cursorX: view.getInt16(16),
      cursorY: view.getInt16(18),
      keyframe: (view.getUint8(20) & 1) === 1,
      rects: [],
    };
    var count = view.getUint16(21);
    var offset = 23;
    for (var index = 0; index < count; index += 1) {
      var rect = {
        encoding: view.getUint8(offset),
        x: view.getUint16(offset + 1),
        y: view.getUint16(offset + 3),
        width: view.getUint16(offset + 5),
        height: view.getUint16(offset + 7),
      };
      offset += 9;
      if (rect.encoding === JPEG) {
        var length = view.getUint32(offset);
        rect.data = new Uint8Array(view.buffer, view.byteOffset + offset + 4, length);
        offset += 4 + length;
      } else if (rect.encoding === COPY) {
        rect.sourceX = view.getUint16(offset);
        rect.sourceY = view.getUint16(offset + 2);
        offset += 4;
      } else if (rect.encoding === SOLID) {
        rect.colour = "rgb(" + view.getUint8(offset) + "," + view.getUint8(offset + 1) + "," +
          view.getUint8(offset + 2) + ")";
        offset += 3;
      } else {
        throw new Error("unknown encoding " + rect.encoding);
      }
      update.rects.push(rect);
    }
    return update;
  }

  function onBinary(buffer) {
    if (buffer.byteLength < HEADER_BYTES) { return; }
    var head = new DataView(buffer);
    if (head.getUint8(1) !== SCREEN_UPDATE || head.getUint32(4) !== streamId) { return; }
    var length = head.getUint32(16);
    pending.push(new DataView(buffer, HEADER_BYTES, length));
    if (!drawing) { drawNext(); }
  }

  function drawNext() {
    var payload = pending.shift();
    if (!payload) { drawing = false; return; }
    drawing = true;
    var update;
    try { update = parse(payload); } catch (error) {
      console.warn("screen update not understood:", error.message);
      pull(true);
      drawNext();
      return;
    }
    apply(update).then(function (drawn) {
      if (drawn) { afterDrawing(update); } else { pull(true); }
      drawNext();
    }, function (error) {
      console.warn("screen update not drawn:", error && error.message);
      hasPicture = false;
      pull(true);
      drawNext();
    });
  }

  function decode(rect) {
    if (rect.encoding !== JPEG) { return Promise.resolve(null); }
    return createImageBitmap(new Blob([rect.data], { type: "image/jpeg" }));
  }

  function apply(update) {
    var resized = update.width !== picture.width || update.height !== picture.height;
    if ((resized || !hasPicture) && !update.keyframe) {
      return Promise.resolve(false); // nothing to build on: a keyframe is needed
    }
    // Decode every JPEG before painting anything, so an update is drawn whole or not at all.
    return Promise.all(update.rects.map(decode)).then(function (images) {
      if (resized) {
        picture.width = update.width;
        picture.height = update.height;
        fit();
      }
      var dirty = cursorBox(cursor); // where the old cursor was drawn is drawn anew
      copyAll(update.rects.filter(function (rect) { return rect.encoding === COPY; }));
      update.rects.forEach(function (rect, index) {
        if (rect.encoding === SOLID) {
          painter.fillStyle = rect.colour;
          painter.fillRect(rect.x, rect.y, rect.width, rect.height);
        } else if (rect.encoding === JPEG) {
          painter.drawImage(images[index], rect.x, rect.y, rect.width, rect.height);
          images[index].close();
        }
        dirty = union(dirty, rect);
      });
      cursor = { x: update.cursorX, y: update.cursorY };
      show(union(dirty, cursorBox(cursor)));
      return true;
    });
  }

  // The copies read the picture as it was before the update. One copy is drawn from the
  // canvas onto itself (the browser reads it whole first); several are drawn from one
  // copy of the box around their sources, as each copy of the canvas onto itself costs
  // about as much as copying the whole picture.
  function copyAll(copies) {
    if (copies.length === 1) {
      var only = copies[0];
      painter.drawImage(picture, only.sourceX, only.sourceY, only.width, only.height,
        only.x, only.y, only.width, only.height);
      return;
    }
    if (!copies.length) { return; }
    var box = copies.reduce(function (around, rect) {
      return union(around,
        { x: rect.sourceX, y: rect.sourceY, width: rect.width, height: rect.height });
    }, null);
    if (scratch.width < box.width || scratch.height < box.height) {
      scratch.width = Math.max(scratch.width, box.width);
      scratch.height = Math.max(scratch.height, box.height);
    }
    scratchPainter.drawImage(picture, box.x, box.y, box.width, box.height,
      0, 0, box.width, box.height);
    copies.forEach(function (rect) {
      painter.drawImage(scratch, rect.sourceX - box.x, rect.sourceY - box.y, rect.width,
        rect.height, rect.x, rect.y, rect.width, rect.height);
    });
  }

  function union(box, rect) {
    if (!rect) { return box; }
    if (!box) { return { x: rect.x, y: rect.y, width: rect.width, height: rect.height }; }
    var x = Math.min(box.x, rect.x), y = Math.min(box.y, rect.y);
    return {
      x: x,
      y: y,
      width: Math.max(box.x + box.width, rect.x + rect.width) - x,
      height: Math.max(box.y + box.height, rect.y + rect.height) - y,
    };
  }

  // Where drawCursor draws, with room for its outline's pointed corners.
  function cursorBox(at) {
    if (at.x < 0 || at.y < 0) { return null; }
    return { x: at.x - 4, y: at.y - 4, width: 20, height: 28 };
  }

  // The picture onto the page's canvas, only where it changed (`dirty`, in picture
  // pixels), then the cursor.
  function show(dirty) {
    if (canvas.width !== picture.width || canvas.height !== picture.height) {
      canvas.width = picture.width;
      canvas.height = picture.height;
      fit();
      dirty = { x: 0, y: 0, width: picture.width, height: picture.height };
    }
    if (dirty) {
      var left = Math.max(0, dirty.x), top = Math.max(0, dirty.y);
      var right = Math.min(picture.width, dirty.x + dirty.width);
      var bottom = Math.min(picture.height, dirty.y + dirty.height);
      if (right > left && bottom > top) {
        shown.drawImage(picture, left, top, right - left, bottom - top,
          left, top, right - left, bottom - top);
      }
    }
    if (cursor.x >= 0 && cursor.y >= 0) { drawCursor(cursor.x, cursor.y); }
  }

  function drawCursor(x, y) {
    shown.save();
    shown.translate(x, y);
    shown.beginPath();
    shown.moveTo(0, 0);
    shown.lineTo(0, 16);
    shown.lineTo(4, 12);
    shown.lineTo(8, 19);
    shown.lineTo(10, 18);
    shown.lineTo(6, 11);
    shown.lineTo(11, 11);
    shown.closePath();
    shown.fillStyle = "#000";
    shown.strokeStyle = "#fff";
    shown.lineWidth = 1.5;
    shown.fill();
    shown.stroke();
    shown.restore();
  }

  function afterDrawing(update) {
    var now = performance.now();
    if (!hasPicture) { clearTimeout(retry); }
    hasPicture = true;
    lastFrame = update.frame;
    canvas.dataset.frame = String(update.frame);
    adapt(now - pulledAt);
    drawnAt.push(now);
    if (shareState === null) { shareState = "sharing"; say(texts.sharing); }
    pull(false);
  }

  function readout() {
    var now = performance.now();
    drawnAt = drawnAt.filter(function (at) { return now - at <= 1000; });
    fpsText.textContent = texts.fps.replace("%(fps)s", String(drawnAt.length));
    latencyText.textContent = roundTrip === null ? texts.noPicture :
      texts.latency.replace("%(ms)s", String(Math.round(roundTrip)));
  }

  // --- fitting the picture to the tab ----------------------------------------------------

  function fit() {
    var width = picture.width || canvas.width;
    var height = picture.height || canvas.height;
    var full = document.fullscreenElement === viewer;
    var room = stage.getBoundingClientRect();
    var maxWidth = Math.max(100, room.width);
    var maxHeight = Math.max(100, full ? window.innerHeight - room.top - 48 : window.innerHeight * 0.75);
    var scale = Math.min(maxWidth / width, maxHeight / height);
    canvas.style.width = Math.floor(width * scale) + "px";
    canvas.style.height = Math.floor(height * scale) + "px";
  }

  fullButton.addEventListener("click", function () {
    // A browser may refuse (a policy, no user gesture): the picture stays in the page.
    var done = document.fullscreenElement ? document.exitFullscreen()
      : (viewer.requestFullscreen ? viewer.requestFullscreen() : null);
    if (done && done.catch) { done.catch(function () { fit(); }); }
  });
  document.addEventListener("fullscreenchange", function () {
    fullButton.textContent = document.fullscreenElement ? texts.leaveFullScreen : texts.fullScreen;
    fit();
  });
  window.addEventListener("resize", fit);

  // --- control: pointer and keyboard -----------------------------------------------------

  function controlling() { return viewState === "granted" && controlState === "granted"; }

  function sendInput(events) {
    if (!controlling() || !live) { return; }
    live.send({
      type: "screen.input",
      consent_id: config.consentId,
      events: events,
      sent_at_ms: Date.now(),
    });
  }

  function at(event) {
    var box = canvas.getBoundingClientRect();
    var x = Math.floor((event.clientX - box.left) * canvas.width / box.width);
    var y = Math.floor((event.clientY - box.top) * canvas.height / box.height);
    return {
      x: Math.min(canvas.width - 1, Math.max(0, x)),
      y: Math.min(canvas.height - 1, Math.max(0, y)),
    };
  }

  var BUTTONS = ["left", "middle", "right"];
  var moveQueued = null;

  function pointer(action, event, extra) {
    var point = at(event);
    var item = { kind: "pointer", action: action, x: point.x, y: point.y,
      button: BUTTONS[event.button] || "left" };
    if (extra) { Object.keys(extra).forEach(function (key) { item[key] = extra[key]; }); }
    return item;
  }

  canvas.addEventListener("pointermove", function (event) {
    if (!controlling()) { return; }
    var first = moveQueued === null;
    moveQueued = pointer("move", event);
    if (first) {
      requestAnimationFrame(function () { sendInput([moveQueued]); moveQueued = null; });
    }
  });
  // Presses and releases as they happen: a click, a double click and a drag are made of
  // them on the customer's computer exactly as here.
  canvas.addEventListener("pointerdown", function (event) {
    if (!controlling()) { return; }
    var press = pointer("down", event); // where it was pressed, before anything moves
    canvas.focus({ preventScroll: true });
    canvas.setPointerCapture(event.pointerId);
    event.preventDefault();
    sendInput([press]);
  });
  canvas.addEventListener("pointerup", function (event) {
    if (!controlling()) { return; }
    event.preventDefault();
    sendInput([pointer("up", event)]);
  });
  canvas.addEventListener("contextmenu", function (event) {
    if (controlling()) { event.preventDefault(); }
  });
  canvas.addEventListener("wheel", function (event) {
    if (!controlling()) { return; }
    event.preventDefault();
    function notches(delta) {
      if (delta === 0) { return 0; }
      var steps = Math.round(delta / (event.deltaMode === 0 ? 100 : 3));
      return Math.max(-100, Math.min(100, steps === 0 ? Math.sign(delta) : steps));
    }
    sendInput([pointer("wheel", event, { dx: notches(event.deltaX), dy: notches(event.deltaY) })]);
  }, { passive: false });

  var MODIFIER_KEYS = ["Shift", "Control", "Alt", "Meta", "AltGraph", "CapsLock", "Dead"];

  canvas.addEventListener("keydown", function (event) {
    if (!controlling() || event.isComposing) { return; }
    if (event.key === "Tab" && !event.ctrlKey && !event.altKey) { return; } // leaves the picture
    if (MODIFIER_KEYS.indexOf(event.key) !== -1) { return; }
    event.preventDefault();
    var altGraph = event.getModifierState && event.getModifierState("AltGraph");
    var printable = event.key.length === 1 || /^[^\x00-\x7f]$/.test(event.key);
    if (printable && (altGraph || (!event.ctrlKey && !event.altKey && !event.metaKey))) {
      sendInput([{ kind: "key", action: "text", text: event.key }]);
      return;
    }
    var modifiers = [];
    if (event.ctrlKey) { modifiers.push("ctrl"); }
    if (event.altKey) { modifiers.push("alt"); }
    if (event.shiftKey) { modifiers.push("shift"); }
    if (event.metaKey) { modifiers.push("meta"); }
    var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    sendInput([{ kind: "key", action: "press", key: key.slice(0, 32), modifiers: modifiers }]);
  });

  // --- how the view and its control stand ------------------------------------------------

  function showState() {
    if (viewState === "unknown") { return; } // as the page came, until the state is known
    var waiting = viewState === "pending";
    var ended = viewState !== "granted" && !waiting;
    askControl.hidden = ended || controlState === "pending" || controlState === "granted";
    stopControl.hidden = ended || (controlState !== "pending" && controlState !== "granted");
    stopView.hidden = ended;
    canvas.classList.toggle("controlled", controlling());
    canvas.dataset.control = controlling() ? "granted" : (controlState || "none");
    document.documentElement.dataset.screenView = viewState;
    if (waiting) {
      say(texts.view_pending);
    } else if (ended) {
      clearTimeout(retry);
      say(texts.ended);
      controlLine.textContent = "";
    } else if (controlState === "pending") {
      controlLine.textContent = texts.control_pending;
    } else if (controlState === "granted") {
      controlLine.textContent = texts.control_granted;
    } else if (controlState === "refused" || controlState === "timed_out") {
      controlLine.textContent = texts.control_refused;
    } else {
      controlLine.textContent = "";
    }
  }

  function refresh() {
    return fetch(config.stateUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { return; }
        var wasGranted = viewState === "granted";
        viewState = state.view;
        controlState = state.control;
        if (wasGranted && viewState !== "granted") { streamId = null; pending = []; }
        showState();
        if (!wasGranted && viewState === "granted") { pull(true); }
      })
      .catch(function () { /* the next change asks again */ });
  }

  function onStatus(event) {
    if (event.consent_id !== config.consentId || viewState !== "granted") { return; }
    shareState = event.state;
    if (event.state === "unavailable") {
      var why = event.reason && texts.reasons[event.reason];
      say(texts.unavailable + (why ? " " + why : ""));
    } else if (texts[event.state]) {
      say(texts[event.state]);
    }
    statusLine.dataset.state = event.state;
  }

  if (!live) { return; }
  live.on("binary", onBinary);
  live.on("relay.opened", function (event) {
    if (event.purpose !== purpose || event.role !== "receive") { return; }
    streamId = event.stream_id;
    canvas.dataset.stream = String(streamId);
    pending = [];
    pull(true); // a fresh stream: the whole picture again
  });
  // An update lost on the way (the tab fell behind): the picture may be wrong, so whole.
  live.on("relay.dropped", function (event) {
    if (event.stream_id === streamId) { hasPicture = false; pull(true); }
  });
  live.on("relay.closed", function (event) {
    if (event.stream_id === streamId) { streamId = null; delete canvas.dataset.stream; }
  });
  live.on("screen.status", onStatus);
  live.on("consent.updated", function (event) {
    if (event.device_id === config.deviceId) { refresh(); }
  });
  live.on("open", function () {
    var known = viewState === "granted";
    refresh().then(function () { if (known) { pull(true); } }); // else refresh pulls
  });
  live.on("error", function (event) {
    if (event.request_id === config.consentId) { console.info("screen:", event.message); }
  });
  setInterval(readout, 500);
  fit();
  readout();
  showState();
})();
