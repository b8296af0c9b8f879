package dev.keyward.emailcode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The floor both real sends and decoys wait out: the 95th percentile of the last sends. */
class SendTimingTest {
    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void beforeTheFirstSendTheInitialFloorApplies() {
        assertEquals(SendTiming.INITIAL_FLOOR_NANOS, new SendTiming.Window().floorNanos());
    }

    @Test
    void floorIsTheNinetyFifthPercentileOfTheWindow() {
        SendTiming.Window window = new SendTiming.Window();
        // 1..64 ms in shuffled order: nearest rank ceil(0.95 * 64) = 61
        for (int i = 0; i < SendTiming.WINDOW; i++) {
            window.add(ms((i * 37L) % SendTiming.WINDOW + 1));
        }
        assertEquals(ms(61), window.floorNanos());
    }

    @Test
    void onlyTheLastSendsCountAndOneSlowSendDoesNotSetTheFloor() {
        SendTiming.Window window = new SendTiming.Window();
        window.add(ms(2_000));
        for (int i = 0; i < SendTiming.WINDOW - 1; i++) {
            window.add(ms(40));
        }
        // the slow send is the one sample above the 95th percentile
        assertEquals(ms(40), window.floorNanos());
        for (int i = 0; i < SendTiming.WINDOW; i++) {
            window.add(ms(90));
        }
        assertEquals(ms(90), window.floorNanos(), "older sends have left the window");
    }

    @Test
    void aHungSendCountsAsTheCapAndNegativeTimesAsZero() {
        SendTiming.Window window = new SendTiming.Window();
        window.add(-5);
        assertEquals(0, window.floorNanos());
        for (int i = 0; i < SendTiming.WINDOW; i++) {
            window.add(TimeUnit.MINUTES.toNanos(10));
        }
        assertEquals(SendTiming.MAX_NANOS, window.floorNanos());
    }
}
