package dev.keyward.opaque;

/**
 * WINDOWS[i][j] = j * 16^i * generator in cached form, built on first use (about 1000
 * additions) so that code which never multiplies the generator does not pay for it.
 */
final class EdwardsGeneratorTable {
    static final int[][] WINDOWS = build();

    private EdwardsGeneratorTable() {}

    private static int[][] build() {
        int[][] windows = new int[EdwardsPoint.WINDOWS][];
        EdwardsScratch w = new EdwardsScratch();
        EdwardsCachedPoint c = new EdwardsCachedPoint();
        EdwardsPoint base = Ristretto255Group.GENERATOR.copy();
        for (int i = 0; i < EdwardsPoint.WINDOWS; i++) {
            EdwardsCachedPoint baseCached = EdwardsCachedPoint.of(base);
            int[] table = new int[16 * EdwardsCachedPoint.INTS];
            EdwardsPoint acc = EdwardsPoint.identity();
            for (int j = 0; j < 16; j++) {
                c.set(acc);
                c.store(table, j);
                acc.add(baseCached, w);
            }
            windows[i] = table;
            base = acc; // 16 * base
        }
        return windows;
    }
}
