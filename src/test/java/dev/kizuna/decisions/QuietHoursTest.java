package dev.kizuna.decisions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** When email decided at a given moment may go, by the recipient's quiet hours in their timezone. */
class QuietHoursTest {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final QuietHours NIGHT = new QuietHours(LocalTime.of(22, 0), LocalTime.of(8, 0));
    private static final QuietHours LUNCH = new QuietHours(LocalTime.of(12, 0), LocalTime.of(13, 0));

    @Test
    void outsideQuietHoursEmailGoesNow() {
        Instant tenInTokyo = Instant.parse("2026-03-10T01:00:00Z");
        assertEquals(tenInTokyo, NIGHT.sendableFrom(tenInTokyo, TOKYO));
    }

    @Test
    void lateInTheEveningEmailWaitsForTheNextMorning() {
        Instant halfPastElevenInTokyo = Instant.parse("2026-03-10T14:30:00Z");
        assertEquals(Instant.parse("2026-03-10T23:00:00Z"), NIGHT.sendableFrom(halfPastElevenInTokyo, TOKYO));
    }

    @Test
    void afterMidnightEmailWaitsForTheSameMorning() {
        Instant twoInTokyo = Instant.parse("2026-03-10T17:00:00Z");
        assertEquals(Instant.parse("2026-03-10T23:00:00Z"), NIGHT.sendableFrom(twoInTokyo, TOKYO));
    }

    @Test
    void quietHoursIncludeTheirStartAndExcludeTheirEnd() {
        Instant tenPmInTokyo = Instant.parse("2026-03-10T13:00:00Z");
        Instant eightAmInTokyo = Instant.parse("2026-03-10T23:00:00Z");
        assertEquals(eightAmInTokyo, NIGHT.sendableFrom(tenPmInTokyo, TOKYO));
        assertEquals(eightAmInTokyo, NIGHT.sendableFrom(eightAmInTokyo, TOKYO));
        Instant justBefore = tenPmInTokyo.minusSeconds(1);
        assertEquals(justBefore, NIGHT.sendableFrom(justBefore, TOKYO));
    }

    @Test
    void quietHoursWithinADayEndTheSameDay() {
        Instant halfPastTwelveInTokyo = Instant.parse("2026-03-10T03:30:00Z");
        assertEquals(Instant.parse("2026-03-10T04:00:00Z"), LUNCH.sendableFrom(halfPastTwelveInTokyo, TOKYO));
        Instant eleven = Instant.parse("2026-03-10T02:00:00Z");
        assertEquals(eleven, LUNCH.sendableFrom(eleven, TOKYO));
    }

    @Test
    void theSameMomentIsQuietForOneRecipientAndNotForAnother() {
        // 23:30 in Tokyo is 10:30 in New York.
        Instant moment = Instant.parse("2026-03-10T14:30:00Z");
        assertEquals(Instant.parse("2026-03-10T23:00:00Z"), NIGHT.sendableFrom(moment, TOKYO));
        assertEquals(moment, NIGHT.sendableFrom(moment, NEW_YORK));
    }

    @Test
    void quietHoursEndAtLocalMorningAcrossAChangeToSummerTime() {
        // New York moves its clocks forward at 02:00 on 8 March 2026: 08:00 that morning is 12:00 UTC, not 13:00.
        Instant elevenPmBefore = Instant.parse("2026-03-08T04:00:00Z");
        assertEquals(Instant.parse("2026-03-08T12:00:00Z"), NIGHT.sendableFrom(elevenPmBefore, NEW_YORK));
    }

    @Test
    void equalStartAndEndMeanNoQuietHours() {
        QuietHours none = new QuietHours(LocalTime.of(22, 0), LocalTime.of(22, 0));
        Instant tenPmInTokyo = Instant.parse("2026-03-10T13:00:00Z");
        assertEquals(tenPmInTokyo, none.sendableFrom(tenPmInTokyo, TOKYO));
    }
}
