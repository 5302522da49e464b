// Transcript player: audio on the left, turns on the right. The recording arrives as a custom
// message with a binary buffer (not synced state), asked for when the view is shown.
function render({ model, el }) {
  el.classList.add("zh-player");
  const header = document.createElement("div");
  header.className = "zh-player-head";
  const left = document.createElement("div");
  left.className = "zh-player-audio";
  const audio = document.createElement("audio");
  audio.controls = true;
  audio.preload = "auto";
  const status = document.createElement("div");
  status.className = "zh-player-status";
  const legend = document.createElement("div");
  legend.className = "zh-legend";
  legend.innerHTML =
    '<span class="zh-chip zh-interviewer">Interviewer</span> <span class="zh-chip zh-candidate">Candidate</span> <span class="zh-chip zh-flag">⚑ flagged by the STT check</span>';
  left.append(audio, status, legend);
  const list = document.createElement("div");
  list.className = "zh-turns";
  const body = document.createElement("div");
  body.className = "zh-player-body";
  body.append(left, list);
  el.append(header, body);
  let url = null;
  let items = [];
  // A long recording comes as a preview (its first minute) and then the whole file.
  let previewEnd = null; // seconds the loaded preview covers; null once the whole file is in
  let pendingSeek = null; // a click beyond the preview, played when the whole file is in
  let restAsked = false;

  function drawTurns() {
    header.textContent = model.get("title");
    el.dataset.session = model.get("session_id");
    list.innerHTML = "";
    items = [];
    for (const turn of model.get("turns") || []) {
      const div = document.createElement("div");
      div.className = `zh-turn zh-${turn.speaker}` + (turn.flagged ? " zh-flagged" : "");
      div.dataset.index = turn.index;
      if (turn.start != null) div.dataset.start = turn.start;
      const who = document.createElement("div");
      who.className = "zh-who";
      const time = turn.start == null ? "" : ` · ${fmt(turn.start)}`;
      who.textContent = (turn.flagged ? "⚑ " : "") + turn.label + time;
      const text = document.createElement("div");
      text.className = "zh-text";
      text.textContent = turn.text;
      div.append(who, text);
      if (turn.flagged) {
        const heard = document.createElement("div");
        heard.className = "zh-heard";
        heard.textContent = "Local model heard: " + (turn.heard || "(nothing)");
        div.append(heard);
      }
      if (turn.start != null) {
        div.title = "Play from " + fmt(turn.start);
        div.onclick = () => seek(turn.start);
      }
      list.append(div);
      items.push([turn, div]);
    }
  }
  function fmt(s) {
    const m = Math.floor(s / 60);
    return `${m}:${String(Math.floor(s % 60)).padStart(2, "0")}`;
  }
  function highlight() {
    const t = audio.currentTime;
    for (const [turn, div] of items) {
      const on = turn.start != null && t >= turn.start && t < (turn.end ?? turn.start + 0.01);
      if (on && !div.classList.contains("zh-current")) {
        div.classList.add("zh-current");
        div.scrollIntoView({ block: "nearest" });
      } else if (!on) div.classList.remove("zh-current");
    }
  }
  audio.addEventListener("timeupdate", highlight);
  audio.addEventListener("seeked", highlight);
  audio.addEventListener("canplay", () => {
    el.dataset.audioReady = "1";
    if (pendingSeek !== null) return;
    status.textContent =
      previewEnd === null
        ? "Ready: click a turn to play from there."
        : `Ready: the first ${fmt(previewEnd)} can play while the rest loads.`;
    if (previewEnd !== null && !restAsked) {
      restAsked = true; // after the preview can play, so the big message does not delay it
      model.send({ type: "audio-rest?" });
    }
  });
  function seek(t) {
    if (previewEnd !== null && t >= previewEnd - 0.25) {
      pendingSeek = t;
      status.textContent = "Loading the rest of the recording…";
      return;
    }
    audio.currentTime = t;
    audio.play().catch(() => {});
  }
  audio.addEventListener("ended", () => {
    if (previewEnd !== null) seek(previewEnd); // the preview ran out: go on in the whole file
  });
  model.on("msg:custom", (msg, buffers) => {
    if (msg.type !== "audio" || msg.session_id !== model.get("session_id")) return;
    const replacing = msg.part === "full" && previewEnd !== null;
    const resumeAt = pendingSeek ?? audio.currentTime;
    const resume = pendingSeek !== null || !audio.paused;
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(new Blob([buffers[0]], { type: msg.mime || "audio/wav" }));
    el.dataset.audioFor = msg.session_id;
    el.dataset.audioPart = msg.part || "full";
    previewEnd = msg.part === "preview" ? msg.seconds : null;
    pendingSeek = null;
    audio.src = url;
    if (replacing) {
      audio.addEventListener(
        "loadedmetadata",
        () => {
          audio.currentTime = resumeAt;
          if (resume) audio.play().catch(() => {});
        },
        { once: true },
      );
    } else {
      status.textContent = "Loading audio…";
    }
  });
  model.on("change:turns", drawTurns);
  model.on("change:title", drawTurns);
  model.on("change:audio_status", () => (status.textContent = model.get("audio_status")));
  model.on("change:audio_key", () => {
    delete el.dataset.audioReady; // until the new recording can play
    previewEnd = pendingSeek = null;
    restAsked = false;
    model.send({ type: "audio?" });
  });
  drawTurns();
  status.textContent = model.get("audio_status");
  model.send({ type: "audio?" });
  return () => url && URL.revokeObjectURL(url);
}
export default { render };
