package org.pupilflow.identifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class UlnTest {

    @Test
    void workedExampleStemsGiveTheirCheckDigits() {
        // DOMAIN.md §2.2: 123456789 -> sum 210, r=1 -> 9; 000000004 -> sum 8 -> 2
        assertThat(Uln.checkDigit("123456789")).hasValue(9);
        assertThat(Uln.checkDigit("000000004")).hasValue(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1234567899", "0000000042"})
    void workedExampleUlnsAreValid(String uln) {
        IdentifierCheck check = Uln.check(uln);
        assertThat(check.valid()).isTrue();
        assertThat(check.value()).isEqualTo(uln);
    }

    @Test
    void aStemWhoseWeightedSumIsDivisibleByElevenHasNoCheckDigit() {
        assertThat(Uln.checkDigit("987654321")).isEqualTo(OptionalInt.empty());
        assertThat(Uln.checkDigit("000000000")).isEqualTo(OptionalInt.empty());
    }

    @Test
    void noUlnWithAStemOfRemainderZeroIsValidWhateverItsLastDigit() {
        for (char last = '0'; last <= '9'; last++) {
            IdentifierCheck check = Uln.check("987654321" + last);
            assertThat(check.problem()).isEqualTo(IdentifierProblem.NO_VALID_CHECK_DIGIT);
            assertThat(check.message()).contains("'987654321" + last + "'").contains("no check digit exists");
        }
    }

    @Test
    void theTemporaryUlnIsValidAlthoughItFailsTheCheckDigitRule() {
        assertThat(Uln.check(Uln.TEMPORARY).valid()).isTrue();
        // 999999999 gives 8, so the placeholder is accepted as a special case, not by arithmetic.
        assertThat(Uln.checkDigit("999999999")).hasValue(8);
    }

    @Test
    void aWrongCheckDigitIsAMismatchNamingBothDigits() {
        IdentifierCheck check = Uln.check("1234567890");
        assertThat(check.problem()).isEqualTo(IdentifierProblem.CHECK_DIGIT_MISMATCH);
        assertThat(check.message()).isEqualTo("ULN '1234567890' has check digit 0 but its first 9 digits give 9");
    }

    @Test
    void nullAndBlankAreMissing() {
        assertThat(Uln.check(null).problem()).isEqualTo(IdentifierProblem.MISSING);
        assertThat(Uln.check(null).message()).isEqualTo("ULN is missing: got null");
        IdentifierCheck blank = Uln.check("  ");
        assertThat(blank.problem()).isEqualTo(IdentifierProblem.MISSING);
        assertThat(blank.message()).contains("'  '");
    }

    @ParameterizedTest
    @ValueSource(strings = {"123456789", "12345678999", " 1234567899", "1"})
    void anythingButTenCharactersIsWrongLength(String candidate) {
        IdentifierCheck check = Uln.check(candidate);
        assertThat(check.problem()).isEqualTo(IdentifierProblem.WRONG_LENGTH);
        assertThat(check.message()).contains("'" + candidate + "'").contains(candidate.length() + " characters");
    }

    @Test
    void aNonDigitIsAnInvalidCharacterAtItsPosition() {
        IdentifierCheck check = Uln.check("123456X899");
        assertThat(check.problem()).isEqualTo(IdentifierProblem.INVALID_CHARACTER);
        assertThat(check.message()).isEqualTo("ULN '123456X899' has 'X' at position 7; a ULN is 10 digits");
        assertThat(Uln.check("12345678\u06629").problem()).isEqualTo(IdentifierProblem.INVALID_CHARACTER);
        assertThat(Uln.check("-123456789").problem()).isEqualTo(IdentifierProblem.INVALID_CHARACTER);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "12345678", "1234567890", "12345678X", "12345678 "})
    void checkDigitRejectsAStemThatIsNotNineDigits(String stem) {
        assertThatIllegalArgumentException().isThrownBy(() -> Uln.checkDigit(stem)).withMessageContaining("9 digits");
    }

    @Test
    void weightsTenToTwoTimesAnyDigitDifferenceNeverVanishModEleven() {
        for (int weight = 2; weight <= 10; weight++) {
            for (int difference = 1; difference <= 9; difference++) {
                assertThat(weight * difference % 11).as("weight %d, difference %d", weight, difference).isNotZero();
            }
        }
    }

    @Test
    void everySingleDigitSubstitutionIsDetectedUnlessItLandsOnTheTemporaryUln() {
        Random random = new Random(20_250_304L);
        int ulns = 0;
        int substitutions = 0;
        int stemsWithoutCheckDigit = 0;
        while (ulns < 5_000) {
            String stem = String.format("%09d", random.nextInt(1_000_000_000));
            OptionalInt digit = Uln.checkDigit(stem);
            if (digit.isEmpty()) {
                stemsWithoutCheckDigit++;
                continue;
            }
            String uln = stem + digit.getAsInt();
            assertThat(Uln.check(uln).valid()).as(uln).isTrue();
            ulns++;
            for (int position = 0; position < 10; position++) {
                for (char d = '0'; d <= '9'; d++) {
                    if (d == uln.charAt(position)) {
                        continue;
                    }
                    String mutated = uln.substring(0, position) + d + uln.substring(position + 1);
                    assertThat(Uln.check(mutated).valid()).as("%s -> %s", uln, mutated).isEqualTo(mutated.equals(Uln.TEMPORARY));
                    substitutions++;
                }
            }
        }
        assertThat(substitutions).isEqualTo(5_000 * 90);
        // About 1 stem in 11 has no check digit.
        assertThat(stemsWithoutCheckDigit).isBetween(300, 700);
    }

    @Test
    void exactlyNineValidUlnsAreOneDigitAwayFromTheTemporaryUln() {
        // The blind spot of accepting 9999999999 unchecked: a one-digit slip in any of these
        // (in the right place) yields the placeholder, which passes.
        List<String> neighbours = new ArrayList<>();
        for (int position = 0; position < 10; position++) {
            for (char d = '0'; d <= '8'; d++) {
                String candidate = Uln.TEMPORARY.substring(0, position) + d + Uln.TEMPORARY.substring(position + 1);
                if (Uln.check(candidate).valid()) {
                    neighbours.add(candidate);
                }
            }
        }
        assertThat(neighbours).containsExactly("9499999999", "9929999999", "9991999999", "9999799999", "9999909999",
                "9999996999", "9999999599", "9999999939", "9999999998");
    }
}
