// The playground's state in a URL hash: `#z=` + base64url of the deflate-raw compressed JSON
// where CompressionStream exists, else `#j=` + base64url of the JSON.

function toBase64Url(bytes) {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

async function pipe(bytes, stream) {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

/** The hash (without `#`) for `state`, a JSON-serialisable object. */
export async function encodeState(state, { compress = typeof CompressionStream === "function" } = {}) {
  const json = new TextEncoder().encode(JSON.stringify(state));
  if (compress) {
    return "z=" + toBase64Url(await pipe(json, new CompressionStream("deflate-raw")));
  }
  return "j=" + toBase64Url(json);
}

/** The state in a hash made by encodeState (with or without `#`), or null if there is none. */
export async function decodeState(hash) {
  const h = hash.replace(/^#/, "");
  let bytes;
  if (h.startsWith("z=")) {
    if (typeof DecompressionStream !== "function") throw new Error("this browser cannot read compressed links");
    bytes = await pipe(fromBase64Url(h.slice(2)), new DecompressionStream("deflate-raw"));
  } else if (h.startsWith("j=")) {
    bytes = fromBase64Url(h.slice(2));
  } else {
    return null;
  }
  return JSON.parse(new TextDecoder().decode(bytes));
}
