package dev.keyward.opaque;

/** EdwardsScratch field elements for point formulas, so the hot loops do not allocate. */
final class EdwardsScratch {
    final int[] a = Field25519.create();
    final int[] b = Field25519.create();
    final int[] c = Field25519.create();
    final int[] d = Field25519.create();
    final int[] e = Field25519.create();
    final int[] f = Field25519.create();
    final int[] g = Field25519.create();
    final int[] h = Field25519.create();

    void wipe() {
        Field25519.wipe(a, b, c, d, e, f, g, h);
    }
}
