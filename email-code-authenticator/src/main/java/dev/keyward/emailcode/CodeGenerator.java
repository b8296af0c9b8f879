package dev.keyward.emailcode;

import java.security.SecureRandom;

/** Draws codes uniformly from an alphabet with {@link SecureRandom}. */
public final class CodeGenerator {
    private final SecureRandom random;

    /** @param random the randomness; a shared SecureRandom is thread-safe */
    public CodeGenerator(SecureRandom random) {
        this.random = random;
    }

    /**
     * @param alphabet the characters
     * @param length the number of characters
     * @return a fresh code
     */
    public String next(CodeAlphabet alphabet, int length) {
        String chars = alphabet.characters();
        StringBuilder code = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            // nextInt(bound) rejects out-of-range draws, so every character is equally likely
            code.append(chars.charAt(random.nextInt(chars.length())));
        }
        return code.toString();
    }
}
