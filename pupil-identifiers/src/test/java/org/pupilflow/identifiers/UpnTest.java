package org.pupilflow.identifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class UpnTest {

    @Test
    void alphabetHasTwentyThreeLettersWithoutIOrOOrS() {
        assertThat(Upn.ALPHABET).hasSize(23).doesNotContain("I", "O", "S");
        assertThat(Upn.ALPHABET.chars().sorted().toArray()).isEqualTo(Upn.ALPHABET.chars().toArray());
    }

    @Test
    void workedExampleBodyGivesCheckLetterJ() {
        // DOMAIN.md §2.1: weighted sum 261, 261 mod 23 = 8 -> J
        assertThat(Upn.checkLetter("935123420731")).isEqualTo('J');
    }

    @Test
    void stdnumDoctestBodyGivesCheckLetterB() {
        // DOMAIN.md §2.1: python-stdnum's doctest B801200005001, sum 93 mod 23 = 1 -> B
        assertThat(Upn.checkLetter("801200005001")).isEqualTo('B');
    }

    @Test
    void temporaryUpnTakesFinalLetterAtItsAlphabetValue() {
        // DOMAIN.md §2.1: 93512342073A -> sum 248, remainder 18 -> V
        assertThat(Upn.checkLetter("93512342073A")).isEqualTo('V');
        // A is worth 0, K (index 9) is worth 9: the same as the digits 0 and 9.
        assertThat(Upn.checkLetter("93512342073A")).isEqualTo(Upn.checkLetter("935123420730"));
        assertThat(Upn.checkLetter("93512342073K")).isEqualTo(Upn.checkLetter("935123420739"));
    }

    @Test
    void finalLettersBeyondTheDigitRangeTakeTheirFullAlphabetValue() {
        // Z is index 22; 22 * 13 = 286 = 12 * 23 + 10 more than a final 0.
        char withZero = Upn.checkLetter("935123420730");
        char withZ = Upn.checkLetter("93512342073Z");
        assertThat(Upn.ALPHABET.indexOf(withZ)).isEqualTo((Upn.ALPHABET.indexOf(withZero) + 22 * 13) % 23);
    }

    @Test
    void permanentBuildsTheWorkedExamples() {
        assertThat(Upn.permanent("935", "1234", 20, 731)).isEqualTo("J935123420731");
        assertThat(Upn.permanent("801", "2000", 5, 1)).isEqualTo("B801200005001");
    }

    @Test
    void permanentZeroPadsYearAndSerial() {
        String upn = Upn.permanent("201", "0001", 0, 0);
        assertThat(upn).hasSize(13).endsWith("201000100000");
        assertThat(upn.charAt(0)).isEqualTo(Upn.checkLetter("201000100000"));
        assertThat(Upn.permanent("201", "0001", 9, 42)).endsWith("09042");
    }

    @Test
    void temporaryBuildsTheWorkedExample() {
        assertThat(Upn.temporary("935", "1234", 20, 73, 'A')).isEqualTo("V93512342073A");
        assertThat(Upn.temporary("935", "1234", 20, 3, 'Z')).endsWith("9351234200" + "3Z");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"93", "9351", "93A", "-93"})
    void permanentRejectsAnLaCodeThatIsNotThreeDigits(String laCode) {
        assertThatIllegalArgumentException().isThrownBy(() -> Upn.permanent(laCode, "1234", 20, 731))
                .withMessageContaining("LA code");
    }

    @Test
    void permanentRejectsOutOfRangeParts() {
        assertThatIllegalArgumentException().isThrownBy(() -> Upn.permanent("935", "123", 20, 731)).withMessageContaining("establishment");
        assertThatIllegalArgumentException().isThrownBy(() -> Upn.permanent("935", "12x4", 20, 731)).withMessageContaining("establishment");
        assertThatIllegalArgumentException().isThrownBy(() -> Upn.permanent("935", "1234", 100, 731)).withMessageContaining("year");
        assertThatIllegalArgumentException().isThrownBy(() -> Upn.permanent("935", "1234", -1, 731)).withMessageContaining("year");
        assertThatIllegalArgumentException().isThrownBy(() -> Upn.permanent("935", "1234", 20, 1000)).withMessageContaining("serial");
        assertThatIllegalArgumentException().isThrownBy(() -> Upn.permanent("935", "1234", 20, -1)).withMessageContaining("serial");
    }

    @Test
    void temporaryRejectsAThreeDigitSerial() {
        assertThatIllegalArgumentException().isThrownBy(() -> Upn.temporary("935", "1234", 20, 100, 'A'))
                .withMessageContaining("0..99");
    }

    @ParameterizedTest
    @ValueSource(chars = {'I', 'O', 'S', 'a', '1', ' '})
    void temporaryRejectsAFinalLetterOutsideTheAlphabet(char finalLetter) {
        assertThatIllegalArgumentException().isThrownBy(() -> Upn.temporary("935", "1234", 20, 73, finalLetter))
                .withMessageContaining(Upn.ALPHABET);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "93512342073", "9351234207311", "93512A420731", "93512342073I", "93512342073a", " 93512342073"})
    void checkLetterRejectsABodyThatIsNotElevenDigitsAndADigitOrLetter(String body) {
        assertThatIllegalArgumentException().isThrownBy(() -> Upn.checkLetter(body));
    }

    @Test
    void isTemporaryLooksOnlyAtTheShapeOfTheLastCharacter() {
        assertThat(Upn.isTemporary("V93512342073A")).isTrue();
        assertThat(Upn.isTemporary("J935123420731")).isFalse();
        // shape only: a wrong check letter does not stop it looking temporary
        assertThat(Upn.isTemporary("A93512342073A")).isTrue();
        assertThat(Upn.isTemporary(null)).isFalse();
        assertThat(Upn.isTemporary("")).isFalse();
        assertThat(Upn.isTemporary("A")).isFalse();
        assertThat(Upn.isTemporary("V93512342073S")).isFalse();
    }
}
