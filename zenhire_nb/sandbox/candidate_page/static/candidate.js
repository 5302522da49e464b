// The sandbox's candidate page. The link token is read from the URL fragment (#t=...) and sent
// only in the X-Candidate-Token header (or the verify body): never in a URL or query string.
"use strict";

const TOKEN_HEADER = "X-Candidate-Token";
const POLL_MS = 1500; // waiting for a free interviewer: ask again this often
const CLOSING_WAIT_MS = 20000; // at most this long for the closing line's audio to finish

const state = { token: null, turn: null, consent: null, recorder: null, busy: false };
const $ = (id) => document.getElementById(id);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function readToken() {
  const match = /(?:^#|&)t=([^&]+)/.exec(window.location.hash);
  return match ? decodeURIComponent(match[1]) : null;
}

function show(name) {
  for (const view of document.querySelectorAll("[data-view]")) {
    view.hidden = view.id !== "view-" + name;
  }
  document.body.dataset.view = name;
}

async function api(method, path, body, contentType) {
  const headers = { [TOKEN_HEADER]: state.token };
  if (body !== undefined && contentType === undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(body);
  } else if (contentType) {
    headers["Content-Type"] = contentType;
  }
  const response = await fetch(path, { method, headers, body, cache: "no-store" });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = data.error || {};
    throw new ApiError(response.status, error.code || "UNKNOWN", error.message || response.statusText);
  }
  return data;
}

function showError(error) {
  $("error-message").textContent = error.message || String(error);
  show("error");
}

// Errors any step may meet: map them to the page that explains them.
function handle(error) {
  state.busy = false;
  if (!(error instanceof ApiError)) return showError(error);
  if (error.code === "NOT_FOUND") return show("unknown");
  if (error.code === "LINK_EXPIRED") return show("expired");
  if (error.code === "SESSION_TERMINAL") return show("ended");
  if (error.code === "SESSION_IN_USE") return show("in-use");
  if (error.code === "CONSENT_REQUIRED") return show("consent");
  if (error.code === "TURN_MISMATCH") return resume();
  return showError(error);
}

async function init() {
  state.token = readToken();
  if (!state.token) return show("unknown");
  try {
    const info = await api("POST", "/sandbox/candidate/verify", { token: state.token });
    if (info.role_name) $("role").textContent = "Interview: " + info.role_name;
    const page = info.page;
    if (page === "consent") return show("consent");
    if (page === "expired" || page === "ended") return show(page);
    if (page === "in_use") return show("in-use");
    return begin(null); // integrator mode, or a reload of a running interview
  } catch (error) {
    return handle(error);
  }
}

async function begin(consent) {
  state.consent = consent;
  try {
    const answer = await api("POST", "/sandbox/candidate/begin", { consent });
    if (answer.status === "waiting") {
      $("waiting-position").textContent = "Your place in line: " + answer.position;
      show("waiting");
      await sleep(POLL_MS);
      return begin(consent);
    }
    return showTurn(answer.turn);
  } catch (error) {
    return handle(error);
  }
}

async function resume() {
  try {
    showTurn(await api("GET", "/sandbox/candidate/turn"));
  } catch (error) {
    handle(error);
  }
}

function setBusy(busy, message) {
  state.busy = busy;
  for (const id of ["mic-start", "simulate", "end"]) $(id).disabled = busy;
  $("status").textContent = message || "";
}

// Speak the interviewer's line where the browser can; never wait on it for long.
async function playLine(index) {
  try {
    const response = await fetch("/sandbox/candidate/turn-audio?index=" + index, {
      headers: { [TOKEN_HEADER]: state.token }, cache: "no-store" });
    if (!response.ok) return null;
    const url = URL.createObjectURL(await response.blob());
    const audio = new Audio(url);
    const ended = new Promise((resolve) => {
      audio.addEventListener("ended", resolve);
      audio.addEventListener("error", resolve);
    });
    await audio.play();
    return ended.finally(() => URL.revokeObjectURL(url));
  } catch (error) {
    return null; // autoplay blocked or no audio device: the caption is enough
  }
}

function showTurn(turn) {
  state.turn = turn;
  show("interview");
  $("caption").textContent = turn.text;
  const asked = Math.min(turn.index + 1, turn.total);
  $("progress").textContent = turn.closing ? "Closing" : "Line " + asked + " of " + turn.total;
  $("mic-start").hidden = false;
  $("mic-stop").hidden = true;
  setBusy(false, "");
  const playing = playLine(turn.index);
  if (turn.closing) closeInterview(playing);
}

async function closeInterview(playing) {
  setBusy(true, "The interview is ending.");
  const ended = await playing;
  if (ended) await Promise.race([ended, sleep(CLOSING_WAIT_MS)]);
  else await sleep(1000); // let the closing line be read
  return endInterview();
}

async function endInterview() {
  if (state.recorder) await state.recorder.stop();
  state.recorder = null;
  show("finishing");
  try {
    const answer = await api("POST", "/sandbox/candidate/end");
    show(answer.status === "completed" ? "done" : "ended");
  } catch (error) {
    handle(error);
  }
}

async function simulateAnswer() {
  if (state.busy) return;
  setBusy(true, "The simulated candidate is answering\u2026");
  try {
    showTurn(await api("POST", "/sandbox/candidate/simulate-answer", { index: state.turn.index }));
  } catch (error) {
    handle(error);
  }
}

async function startMicrophone() {
  if (state.busy) return;
  if (!navigator.mediaDevices || !window.isSecureContext) {
    $("status").textContent = "The microphone needs https or a localhost address.";
    return;
  }
  setBusy(true, "Starting the microphone\u2026");
  try {
    state.recorder = await PcmRecorder.open();
  } catch (error) {
    setBusy(false, "The microphone is not available: " + (error.message || error));
    return;
  }
  $("end").disabled = false; // ending while recording drops the unfinished answer
  $("mic-start").hidden = true;
  $("mic-stop").hidden = false;
  const started = Date.now();
  const tick = () => {
    if (!state.recorder) return;
    $("status").textContent = "Recording\u2026 " + Math.floor((Date.now() - started) / 1000) + " s";
    setTimeout(tick, 250);
  };
  tick();
}

async function stopMicrophone() {
  const recorder = state.recorder;
  if (!recorder) return;
  state.recorder = null;
  $("mic-stop").hidden = true;
  $("mic-start").hidden = false;
  setBusy(true, "Sending your answer\u2026");
  try {
    const wav = encodeWav(await recorder.stop(), recorder.sampleRate);
    const path = "/sandbox/candidate/answer?index=" + state.turn.index;
    showTurn(await api("POST", path, wav, "audio/wav"));
  } catch (error) {
    handle(error);
  }
}

// Raw PCM from the microphone through an AudioWorklet (ScriptProcessor where there is none).
class PcmRecorder {
  static async open() {
    const constraints = { echoCancellation: false, noiseSuppression: false, autoGainControl: false };
    const stream = await navigator.mediaDevices.getUserMedia({ audio: constraints });
    const context = new AudioContext();
    await context.resume();
    return new PcmRecorder(stream, context, await PcmRecorder.tap(context));
  }

  static async tap(context) {
    if (context.audioWorklet) {
      await context.audioWorklet.addModule("/candidate/static/recorder-worklet.js");
      return new AudioWorkletNode(context, "recorder-processor");
    }
    return context.createScriptProcessor(4096, 1, 1);
  }

  constructor(stream, context, node) {
    this.stream = stream;
    this.context = context;
    this.node = node;
    this.sampleRate = context.sampleRate;
    this.blocks = [];
    this.source = context.createMediaStreamSource(stream);
    this.mute = context.createGain(); // keeps the node pulled by the graph, silently
    this.mute.gain.value = 0;
    this.source.connect(node);
    node.connect(this.mute);
    this.mute.connect(context.destination);
    if (node.port) {
      node.port.onmessage = (event) => {
        if (event.data === "flushed") this.flushed && this.flushed();
        else this.blocks.push(event.data);
      };
    } else {
      node.onaudioprocess = (event) => this.blocks.push(event.inputBuffer.getChannelData(0).slice(0));
    }
  }

  async stop() {
    if (this.node.port) {
      const done = new Promise((resolve) => { this.flushed = resolve; });
      this.node.port.postMessage("flush");
      await Promise.race([done, sleep(1000)]);
    }
    this.source.disconnect();
    this.node.disconnect();
    for (const track of this.stream.getTracks()) track.stop();
    await this.context.close();
    return this.blocks;
  }
}

function encodeWav(blocks, sampleRate) {
  const count = blocks.reduce((total, block) => total + block.length, 0);
  const buffer = new ArrayBuffer(44 + 2 * count);
  const view = new DataView(buffer);
  const text = (offset, value) => [...value].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  text(0, "RIFF"); view.setUint32(4, 36 + 2 * count, true); text(8, "WAVE");
  text(12, "fmt "); view.setUint32(16, 16, true); view.setUint16(20, 1, true);
  view.setUint16(22, 1, true); view.setUint32(24, sampleRate, true);
  view.setUint32(28, 2 * sampleRate, true); view.setUint16(32, 2, true); view.setUint16(34, 16, true);
  text(36, "data"); view.setUint32(40, 2 * count, true);
  let offset = 44;
  for (const block of blocks) {
    for (let i = 0; i < block.length; i++, offset += 2) {
      const sample = Math.max(-1, Math.min(1, block[i]));
      view.setInt16(offset, sample < 0 ? sample * 0x8000 : sample * 0x7fff, true);
    }
  }
  return new Blob([buffer], { type: "audio/wav" });
}

document.addEventListener("DOMContentLoaded", () => {
  $("consent-accept").addEventListener("click", () => begin(true));
  $("consent-decline").addEventListener("click", async () => {
    try {
      await api("POST", "/sandbox/candidate/decline");
      show("declined");
    } catch (error) {
      handle(error);
    }
  });
  $("consent-reconsider").addEventListener("click", () => show("consent"));
  $("simulate").addEventListener("click", simulateAnswer);
  $("mic-start").addEventListener("click", startMicrophone);
  $("mic-stop").addEventListener("click", stopMicrophone);
  $("end").addEventListener("click", endInterview);
  $("retry").addEventListener("click", init);
  window.addEventListener("hashchange", init); // another link pasted into the same tab
  init();
});
