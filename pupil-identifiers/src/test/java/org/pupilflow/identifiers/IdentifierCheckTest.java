package org.pupilflow.identifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentifierCheckTest {

    @Test
    void okIsValidWithNoProblemAndNoMessage() {
        IdentifierCheck ok = IdentifierCheck.ok("J935123420731");
        assertThat(ok.valid()).isTrue();
        assertThat(ok.problem()).isNull();
        assertThat(ok.message()).isNull();
    }

    @Test
    void failIsInvalidAndKeepsItsReason() {
        IdentifierCheck fail = IdentifierCheck.fail("x", IdentifierProblem.WRONG_LENGTH, "UPN 'x' has 1 characters; a UPN has 13");
        assertThat(fail.valid()).isFalse();
        assertThat(fail.problem()).isEqualTo(IdentifierProblem.WRONG_LENGTH);
    }

    @Test
    void aFailureWithoutAProblemOrAReasonIsAProgrammingError() {
        assertThatNullPointerException().isThrownBy(() -> IdentifierCheck.fail("x", null, "why"));
        assertThatIllegalArgumentException().isThrownBy(() -> IdentifierCheck.fail("x", IdentifierProblem.MISSING, " "));
        assertThatIllegalArgumentException().isThrownBy(() -> IdentifierCheck.fail("x", IdentifierProblem.MISSING, null));
    }

    @Test
    void everyProblemIsProducedBySomeCheckAndItsMessageNamesTheValue() {
        UpnValidator upns = new UpnValidator(LocalAuthorityRegister.bundled());
        List<IdentifierCheck> checks = List.of(
                upns.check("   "),
                upns.check("J93512342073"),
                upns.check("J93512342O731"),
                upns.check(Upn.checkLetter("000123420731") + "000123420731"),
                upns.check("K935123420731"),
                Uln.check("1234567890"),
                Uln.check("9876543210"));
        Set<IdentifierProblem> produced = EnumSet.noneOf(IdentifierProblem.class);
        for (IdentifierCheck check : checks) {
            assertThat(check.valid()).isFalse();
            assertThat(check.message()).contains("'" + check.value() + "'");
            produced.add(check.problem());
        }
        assertThat(produced).isEqualTo(EnumSet.allOf(IdentifierProblem.class));
    }
}
