// Collects the microphone's raw samples (first channel, float32) and posts them to the page in
// blocks, so the page can upload plain 16-bit PCM WAV: the sandbox never needs a decoder.
class RecorderProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.block = new Float32Array(4096);
    this.filled = 0;
    this.port.onmessage = (event) => {
      if (event.data === "flush") {
        this.port.postMessage(this.block.slice(0, this.filled));
        this.filled = 0;
        this.port.postMessage("flushed");
      }
    };
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) {
      let offset = 0;
      while (offset < channel.length) {
        const count = Math.min(channel.length - offset, this.block.length - this.filled);
        this.block.set(channel.subarray(offset, offset + count), this.filled);
        this.filled += count;
        offset += count;
        if (this.filled === this.block.length) {
          this.port.postMessage(this.block.slice(0));
          this.filled = 0;
        }
      }
    }
    return true;
  }
}

registerProcessor("recorder-processor", RecorderProcessor);
