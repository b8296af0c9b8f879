package dev.keyward.opaque.authenticator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RekeyProofTest {
    private static final byte[] SESSION_KEY = new byte[64];
    private static final byte[] RECORD = new byte[192];

    static {
        for (int i = 0; i < SESSION_KEY.length; i++) {
            SESSION_KEY[i] = (byte) (i * 7 + 1);
        }
        Arrays.fill(RECORD, (byte) 0x42);
    }

    @Test
    void theProofChecksOnlyForItsKeyAndRecord() {
        byte[] key = RekeyProof.key(SESSION_KEY);
        byte[] proof = RekeyProof.proof(key, RECORD);
        assertEquals(RekeyProof.LENGTH, proof.length);
        assertTrue(RekeyProof.verify(key, RECORD, proof));

        byte[] otherRecord = RECORD.clone();
        otherRecord[191] ^= 1;
        assertFalse(RekeyProof.verify(key, otherRecord, proof), "another record");
        byte[] otherSession = SESSION_KEY.clone();
        otherSession[0] ^= 1;
        assertFalse(RekeyProof.verify(RekeyProof.key(otherSession), RECORD, proof), "another login");
        byte[] flipped = proof.clone();
        flipped[31] ^= 1;
        assertFalse(RekeyProof.verify(key, RECORD, flipped));
        assertFalse(RekeyProof.verify(key, RECORD, Arrays.copyOf(proof, 31)), "truncated");
        assertFalse(RekeyProof.verify(key, RECORD, null));
    }

    @Test
    void theOfferIsLabelledApartFromTheProofAndTheKey() {
        byte[] key = RekeyProof.key(SESSION_KEY);
        byte[] offer = RekeyProof.offer(SESSION_KEY);
        assertEquals(RekeyProof.LENGTH, offer.length);
        assertFalse(Arrays.equals(offer, key));
        assertFalse(Arrays.equals(offer, RekeyProof.proof(key, new byte[0])));
        assertArrayEquals(offer, RekeyProof.offer(SESSION_KEY.clone()), "deterministic");
        assertEquals(RekeyProof.LENGTH, RekeyProof.noOffer().length);
        assertFalse(Arrays.equals(RekeyProof.noOffer(), RekeyProof.noOffer()));
    }

    /** Values computed apart (Python hmac), so the page script and the node client can check theirs against them. */
    @Test
    void knownAnswer() {
        byte[] key = RekeyProof.key(SESSION_KEY);
        assertEquals(
                "qYdOrV01_lpBIn5r0ysuh5DSYBCZRm4GKhebdO3dgus", Wire.encode(RekeyProof.offer(SESSION_KEY)), "offer");
        assertEquals(
                "X6YURAFrCYZtwXHGsEfBsQzr43DFdZATzSZBK7fDTlw", Wire.encode(RekeyProof.proof(key, RECORD)), "proof");
    }
}
