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
        div.onclick = () => {
          audio.currentTime = turn.start;
          audio.play().catch(() => {});
        };
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
    status.textContent = "Ready: click a turn to play from there.";
    el.dataset.audioReady = "1";
  });
  model.on("msg:custom", (msg, buffers) => {
    if (msg.type !== "audio") return;
    if (url) URL.revokeObjectURL(url);
    el.dataset.audioFor = msg.session_id || "";
    url = URL.createObjectURL(new Blob([buffers[0]], { type: msg.mime || "audio/wav" }));
    audio.src = url;
    status.textContent = "Loading audio…";
  });
  model.on("change:turns", drawTurns);
  model.on("change:title", drawTurns);
  model.on("change:audio_status", () => (status.textContent = model.get("audio_status")));
  model.on("change:audio_key", () => {
    delete el.dataset.audioReady; // until the new recording can play
    model.send({ type: "audio?" });
  });
  drawTurns();
  status.textContent = model.get("audio_status");
  model.send({ type: "audio?" });
  return () => url && URL.revokeObjectURL(url);
}
export default { render };
