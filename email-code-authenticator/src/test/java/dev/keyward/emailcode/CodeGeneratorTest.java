package dev.keyward.emailcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CodeGeneratorTest {
    private final CodeGenerator generator = new CodeGenerator(new SecureRandom());

    @Test
    void codesHaveTheLengthAndOnlyTheAlphabetsCharacters() {
        for (CodeAlphabet alphabet : CodeAlphabet.values()) {
            for (int length = 6; length <= 10; length++) {
                String code = generator.next(alphabet, length);
                assertEquals(length, code.length());
                for (char c : code.toCharArray()) {
                    assertTrue(alphabet.characters().indexOf(c) >= 0, code);
                }
            }
        }
    }

    @Test
    void theUnambiguousAlphabetHasNoLookAlikes() {
        for (char c : "0O1IL".toCharArray()) {
            assertEquals(-1, CodeAlphabet.UPPERCASE_NO_AMBIGUOUS.characters().indexOf(c), String.valueOf(c));
        }
    }

    /** 10,000 digits: every digit appears, none far from 1,000 (a bias or a stuck generator would show). */
    @Test
    void everyCharacterIsUsedRoughlyEqually() {
        int[] counts = new int[10];
        for (int i = 0; i < 1000; i++) {
            for (char c : generator.next(CodeAlphabet.DIGITS, 10).toCharArray()) {
                counts[c - '0']++;
            }
        }
        for (int count : counts) {
            // binomial(10000, 0.1): sd 30, so 850..1150 is a 5-sigma band
            assertTrue(count > 850 && count < 1150, java.util.Arrays.toString(counts));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            seen.add(generator.next(CodeAlphabet.DIGITS, 10));
        }
        assertTrue(seen.size() > 990, "repeats among 1000 ten-digit codes: " + (1000 - seen.size()));
    }

    @Test
    void typedCodesAreNormalisedAsGenerated() {
        assertEquals("123456", CodeAlphabet.DIGITS.normalise(" 123 456 "));
        assertEquals("ABCD23", CodeAlphabet.UPPERCASE_NO_AMBIGUOUS.normalise("abc-d23"));
        assertEquals("", CodeAlphabet.DIGITS.normalise(null));
    }
}
