package org.pupilflow.identifiers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpnValidatorTest {

    private final UpnValidator validator = new UpnValidator(LocalAuthorityRegister.bundled());

    @ParameterizedTest
    @ValueSource(strings = {"J935123420731", "B801200005001", "V93512342073A"})
    void workedExamplesFromTheDomainBriefAreValid(String upn) {
        IdentifierCheck check = validator.check(upn);
        assertThat(check.valid()).isTrue();
        assertThat(check.problem()).isNull();
        assertThat(check.value()).isEqualTo(upn);
    }

    @Test
    void nullIsMissing() {
        IdentifierCheck check = validator.check(null);
        assertThat(check.problem()).isEqualTo(IdentifierProblem.MISSING);
        assertThat(check.valid()).isFalse();
        assertThat(check.message()).isEqualTo("UPN is missing: got null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t", "             "})
    void blankIsMissingAndTheMessageQuotesWhatWasGiven(String blank) {
        IdentifierCheck check = validator.check(blank);
        assertThat(check.problem()).isEqualTo(IdentifierProblem.MISSING);
        assertThat(check.message()).contains("UPN is missing").contains("'" + blank + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"J93512342073", "J9351234207311", " J935123420731", "J935123420731 ", "J"})
    void anythingButThirteenCharactersIsWrongLengthWithoutTrimming(String candidate) {
        IdentifierCheck check = validator.check(candidate);
        assertThat(check.problem()).isEqualTo(IdentifierProblem.WRONG_LENGTH);
        assertThat(check.message()).contains("'" + candidate + "'").contains(candidate.length() + " characters").contains("13");
    }

    @Test
    void aCheckLetterOutsideTheAlphabetIsAnInvalidCharacter() {
        IdentifierCheck check = validator.check("I935123420731");
        assertThat(check.problem()).isEqualTo(IdentifierProblem.INVALID_CHARACTER);
        assertThat(check.message()).isEqualTo("UPN 'I935123420731' has 'I' at position 1; position 1 must be a check letter from "
                + "ABCDEFGHJKLMNPQRTUVWXYZ (never I, O or S)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"j935123420731", "1935123420731", "S935123420731", "O935123420731"})
    void theFirstCharacterMustBeAnUpperCaseAlphabetLetter(String candidate) {
        IdentifierCheck check = validator.check(candidate);
        assertThat(check.problem()).isEqualTo(IdentifierProblem.INVALID_CHARACTER);
        assertThat(check.message()).contains("'" + candidate + "'").contains("position 1");
    }

    @Test
    void aLetterAmongTheDigitsIsAnInvalidCharacterAtItsPosition() {
        IdentifierCheck check = validator.check("J93512342O731");
        assertThat(check.problem()).isEqualTo(IdentifierProblem.INVALID_CHARACTER);
        assertThat(check.message()).isEqualTo("UPN 'J93512342O731' has 'O' at position 10; position 10 must be a digit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"J93512342073S", "J93512342073I", "J93512342073a", "J93512342073-"})
    void aFinalCharacterThatIsNeitherDigitNorAlphabetLetterIsAnInvalidCharacter(String candidate) {
        IdentifierCheck check = validator.check(candidate);
        assertThat(check.problem()).isEqualTo(IdentifierProblem.INVALID_CHARACTER);
        assertThat(check.message()).contains("'" + candidate + "'").contains("position 13");
    }

    @Test
    void anLaNumberNotInTheRegisterIsUnknownEvenWithACorrectCheckLetter() {
        String upn = Upn.checkLetter("000123420731") + "000123420731";
        IdentifierCheck check = validator.check(upn);
        assertThat(check.problem()).isEqualTo(IdentifierProblem.UNKNOWN_LOCAL_AUTHORITY);
        assertThat(check.message()).isEqualTo("UPN '" + upn + "' has LA number 000, which is not a known English local authority number");
    }

    @Test
    void anUnknownLaIsReportedBeforeAWrongCheckLetter() {
        // A mistyped LA number usually breaks the check letter too; the LA is the more useful report.
        String body = "999123420731";
        char wrong = Upn.ALPHABET.charAt((Upn.ALPHABET.indexOf(Upn.checkLetter(body)) + 1) % 23);
        assertThat(validator.check(wrong + body).problem()).isEqualTo(IdentifierProblem.UNKNOWN_LOCAL_AUTHORITY);
    }

    @Test
    void aWrongCheckLetterIsAMismatchNamingBothLetters() {
        IdentifierCheck check = validator.check("K935123420731");
        assertThat(check.problem()).isEqualTo(IdentifierProblem.CHECK_LETTER_MISMATCH);
        assertThat(check.message()).isEqualTo("UPN 'K935123420731' has check letter K but its digits give J");
    }

    @Test
    void aTemporaryUpnWithAWrongCheckLetterSaysTheFinalLetterCounted() {
        IdentifierCheck check = validator.check("A93512342073A");
        assertThat(check.problem()).isEqualTo(IdentifierProblem.CHECK_LETTER_MISMATCH);
        assertThat(check.message()).isEqualTo("UPN 'A93512342073A' has check letter A but its digits and final letter give V");
    }

    @ParameterizedTest
    @ValueSource(strings = {"835", "836", "837", "928", "909", "820", "875"})
    void upnsIssuedUnderAClosedLaNumberStayValid(String closedLa) {
        String upn = Upn.permanent(closedLa, "2000", 18, 1);
        assertThat(LocalAuthorityRegister.bundled().find(closedLa)).get().extracting(LocalAuthority::current).isEqualTo(false);
        assertThat(validator.check(upn).valid()).isTrue();
    }

    @Test
    void theRegisterGivenDecidesWhichLaNumbersAreKnown() {
        LocalAuthorityRegister suffolkOnly = LocalAuthorityRegister.fromCsv(new StringReader("code,name,closed_on\n935,Suffolk,\n"));
        UpnValidator suffolkValidator = new UpnValidator(suffolkOnly);
        assertThat(suffolkValidator.check("J935123420731").valid()).isTrue();
        assertThat(suffolkValidator.check("B801200005001").problem()).isEqualTo(IdentifierProblem.UNKNOWN_LOCAL_AUTHORITY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"J93512342073\u00C9", "\u0100935123420731", "J93512\u0662420731", "\uD83D\uDE0035123420731",
            "J935123420731\u0000", "\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000"})
    void neverThrowsOnNonAsciiOrControlCharacters(String candidate) {
        IdentifierCheck check = validator.check(candidate);
        assertThat(check.valid()).isFalse();
        assertThat(check.message()).isNotBlank();
    }

    @Test
    void validPathAllocatesNothingButTheResult() {
        // Not a timing test: it pins the "no regex, no substring" property by bytes allocated.
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot allocation counters");
        com.sun.management.ThreadMXBean hotspot = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(hotspot.isThreadAllocatedMemorySupported() && hotspot.isThreadAllocatedMemoryEnabled());
        String[] upns = {"J935123420731", "B801200005001", "V93512342073A"};
        int calls = 300_000;
        int valid = 0;
        for (int i = 0; i < calls; i++) { // warm up so the JIT compiles the path being measured
            valid += validator.check(upns[i % 3]).valid() ? 1 : 0;
        }
        long tid = Thread.currentThread().getId();
        long before = hotspot.getThreadAllocatedBytes(tid);
        for (int i = 0; i < calls; i++) {
            valid += validator.check(upns[i % 3]).valid() ? 1 : 0;
        }
        long allocated = hotspot.getThreadAllocatedBytes(tid) - before;
        assertThat(valid).isEqualTo(2 * calls);
        // An IdentifierCheck is 24-32 bytes; one substring alone would add 40+.
        assertThat((double) allocated / calls).isLessThanOrEqualTo(32.0);
    }
}
