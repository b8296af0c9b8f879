// Loaded on demand by page.js for data-suite="P256-SHA256".
// Its own bundle, keyward-opaque-p256.js, carries the library's inlined wasm.
export { client, ready } from "@serenity-kit/opaque-p256";
