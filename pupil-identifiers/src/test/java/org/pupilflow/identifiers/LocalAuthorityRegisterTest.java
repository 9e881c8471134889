package org.pupilflow.identifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalAuthorityRegisterTest {

    private final LocalAuthorityRegister bundled = LocalAuthorityRegister.bundled();

    @Test
    void bundledListCoversEveryEnglishLaNumber() {
        assertThat(bundled.all()).hasSizeGreaterThanOrEqualTo(150);
        assertThat(bundled.all()).allSatisfy(la -> assertThat(la.code()).matches("[0-9]{3}"));
    }

    @Test
    void bundledListNamesTheSeedLasAndTheWorkedExampleLas() {
        assertThat(bundled.find("926")).get().extracting(LocalAuthority::name).isEqualTo("Norfolk");
        assertThat(bundled.find("888")).get().extracting(LocalAuthority::name).isEqualTo("Lancashire");
        assertThat(bundled.find("302")).get().extracting(LocalAuthority::name).isEqualTo("Barnet");
        assertThat(bundled.find("935")).get().extracting(LocalAuthority::name).isEqualTo("Suffolk");
        assertThat(bundled.find("801")).get().extracting(LocalAuthority::name).isEqualTo("City of Bristol");
        assertThat(bundled.find("938")).get().extracting(LocalAuthority::name).isEqualTo("West Sussex");
        assertThat(bundled.find("420")).get().extracting(LocalAuthority::name).isEqualTo("Isles of Scilly");
        assertThat(List.of("926", "888", "302", "935", "801", "938", "420"))
                .allSatisfy(code -> assertThat(bundled.find(code)).get().extracting(LocalAuthority::current).isEqualTo(true));
    }

    @Test
    void reorganisedLasAreClosedOnTheDayTheirSuccessorsStarted() {
        assertClosed("835", LocalDate.of(2019, 4, 1));
        assertClosed("836", LocalDate.of(2019, 4, 1));
        assertClosed("837", LocalDate.of(2019, 4, 1));
        assertClosed("928", LocalDate.of(2021, 4, 1));
        assertClosed("909", LocalDate.of(2023, 4, 1));
        assertThat(List.of("838", "839", "940", "941", "942", "943"))
                .allSatisfy(code -> assertThat(bundled.find(code)).get().extracting(LocalAuthority::current).isEqualTo(true));
        assertThat(bundled.find("839")).get().extracting(LocalAuthority::name).isEqualTo("Bournemouth Christchurch and Poole");
        assertThat(bundled.find("943")).get().extracting(LocalAuthority::name).isEqualTo("Westmorland and Furness");
    }

    @Test
    void closedLaNumbersAreStillKnownBecauseTheirUpnsPersist() {
        assertThat(bundled.isKnown("835")).isTrue();
        assertThat(bundled.isKnown("928")).isTrue();
        assertThat(bundled.isKnown("909")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"000", "100", "999", "700", "93", "9350", "abc", ""})
    void numbersThatWereNeverEnglishLasAreUnknown(String code) {
        assertThat(bundled.isKnown(code)).isFalse();
        assertThat(bundled.find(code)).isEmpty();
    }

    @Test
    void nullIsUnknownRatherThanAnError() {
        assertThat(bundled.isKnown(null)).isFalse();
        assertThat(bundled.find(null)).isEmpty();
    }

    @Test
    void allIsOrderedByCodeUniqueAndUnmodifiable() {
        List<String> codes = bundled.all().stream().map(LocalAuthority::code).toList();
        assertThat(codes).isSorted().doesNotHaveDuplicates();
        assertThatThrownBy(() -> bundled.all().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void bundledIsLoadedOnce() {
        assertThat(LocalAuthorityRegister.bundled()).isSameAs(bundled);
    }

    @Test
    void fromCsvReadsCurrentAndClosedAuthorities() {
        LocalAuthorityRegister register = LocalAuthorityRegister.fromCsv(new StringReader(
                "code,name,closed_on\r\n935,Suffolk,\r\n\r\n928,Northamptonshire,2021-04-01\r\n"));
        assertThat(register.all()).containsExactly(
                new LocalAuthority("928", "Northamptonshire", LocalDate.of(2021, 4, 1)),
                new LocalAuthority("935", "Suffolk", null));
    }

    @Test
    void fromCsvToleratesAByteOrderMarkFromSpreadsheetExports() {
        LocalAuthorityRegister register = LocalAuthorityRegister.fromCsv(new StringReader("\uFEFFcode,name,closed_on\n926,Norfolk,\n"));
        assertThat(register.isKnown("926")).isTrue();
    }

    @Test
    void aLineWithACommaInTheNameIsRejectedWithItsLineNumber() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LocalAuthorityRegister.fromCsv(new StringReader(
                        "code,name,closed_on\n926,Norfolk,\n801,Bristol, City of,\n")))
                .withMessageContaining("line 3")
                .withMessageContaining("expected 3 fields")
                .withMessageContaining("801,Bristol, City of,");
    }

    @Test
    void lineNumbersCountBlankLines() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LocalAuthorityRegister.fromCsv(new StringReader("code,name,closed_on\n\n\n926,Norfolk\n")))
                .withMessageContaining("line 4");
    }

    @Test
    void aCodeThatIsNotThreeDigitsIsRejectedWithItsLineNumber() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LocalAuthorityRegister.fromCsv(new StringReader("code,name,closed_on\n92,Norfolk,\n")))
                .withMessageContaining("line 2").withMessageContaining("'92'");
    }

    @Test
    void aBadClosingDateIsRejectedWithItsLineNumber() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LocalAuthorityRegister.fromCsv(new StringReader("code,name,closed_on\n928,Northamptonshire,01/04/2021\n")))
                .withMessageContaining("line 2").withMessageContaining("'01/04/2021'");
    }

    @Test
    void aMissingNameIsRejectedWithItsLineNumber() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LocalAuthorityRegister.fromCsv(new StringReader("code,name,closed_on\n926, ,\n")))
                .withMessageContaining("line 2").withMessageContaining("no name");
    }

    @Test
    void aDuplicateCodeIsRejectedNamingBothLines() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LocalAuthorityRegister.fromCsv(new StringReader("code,name,closed_on\n926,Norfolk,\n888,Lancashire,\n926,Norfolk again,\n")))
                .withMessageContaining("line 4").withMessageContaining("926").withMessageContaining("line 2");
    }

    @Test
    void aMissingOrWrongHeaderIsRejectedAsLineOne() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LocalAuthorityRegister.fromCsv(new StringReader("926,Norfolk,\n")))
                .withMessageContaining("line 1").withMessageContaining("code,name,closed_on");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LocalAuthorityRegister.fromCsv(new StringReader("")))
                .withMessageContaining("empty");
    }

    @Test
    void aFailingReaderSurfacesAsUncheckedIoException() {
        Reader broken = new Reader() {
            @Override
            public int read(char[] buffer, int offset, int length) throws IOException {
                throw new IOException("disk gone");
            }

            @Override
            public void close() {
            }
        };
        assertThatThrownBy(() -> LocalAuthorityRegister.fromCsv(broken)).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void localAuthorityRejectsAMalformedCodeOrBlankName() {
        assertThatIllegalArgumentException().isThrownBy(() -> new LocalAuthority("9260", "Norfolk", null));
        assertThatIllegalArgumentException().isThrownBy(() -> new LocalAuthority("926", " ", null));
    }

    private void assertClosed(String code, LocalDate closedOn) {
        LocalAuthority la = bundled.find(code).orElseThrow();
        assertThat(la.current()).as(code).isFalse();
        assertThat(la.closedOn()).as(code).isEqualTo(closedOn);
    }
}
