package org.pupilflow.identifiers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random checks of the UPN algorithm's claims: builders always produce valid UPNs, and the
 * mod-23 check letter catches every single-character slip within a character class. Fixed seed so
 * a failure reproduces.
 */
class UpnSubstitutionPropertyTest {

    private static final long SEED = 20_250_304L;
    private static final String DIGITS = "0123456789";

    private final LocalAuthorityRegister register = LocalAuthorityRegister.bundled();
    private final UpnValidator validator = new UpnValidator(register);
    private final List<String> laCodes = register.all().stream().map(LocalAuthority::code).toList();

    @Test
    void weightsTwoToThirteenTimesAnyValueDifferenceNeverVanishModTwentyThree() {
        // The arithmetic behind single-substitution detection: 23 is prime and weights and
        // value differences (1..22) are all below it.
        for (int weight = 2; weight <= 13; weight++) {
            for (int difference = 1; difference <= 22; difference++) {
                assertThat(weight * difference % 23).as("weight %d, difference %d", weight, difference).isNotZero();
            }
        }
    }

    @Test
    void builtPermanentAndTemporaryUpnsAlwaysValidate() {
        Random random = new Random(SEED);
        for (int i = 0; i < 5_000; i++) {
            String permanent = randomPermanent(random);
            String temporary = randomTemporary(random);
            assertThat(validator.check(permanent).valid()).as(permanent).isTrue();
            assertThat(validator.check(temporary).valid()).as(temporary).isTrue();
            assertThat(Upn.isTemporary(permanent)).as(permanent).isFalse();
            assertThat(Upn.isTemporary(temporary)).as(temporary).isTrue();
        }
    }

    @Test
    void everySingleSubstitutionWithinACharacterClassIsDetected() {
        Random random = new Random(SEED + 1);
        long substitutions = 0;
        for (int i = 0; i < 3_000; i++) {
            String upn = i % 2 == 0 ? randomPermanent(random) : randomTemporary(random);
            for (int position = 0; position < 13; position++) {
                for (char replacement : sameClassAlternatives(upn, position)) {
                    String mutated = upn.substring(0, position) + replacement + upn.substring(position + 1);
                    IdentifierCheck check = validator.check(mutated);
                    assertThat(check.valid()).as("%s -> %s", upn, mutated).isFalse();
                    // Detected by the check letter itself, not merely because the LA became unknown.
                    assertThat(Upn.checkLetter(mutated.substring(1))).as("%s -> %s", upn, mutated).isNotEqualTo(mutated.charAt(0));
                    substitutions++;
                }
            }
        }
        assertThat(substitutions).isGreaterThan(400_000);
    }

    @Test
    void swappingAFinalDigitForTheLetterOfEqualValueIsTheOneUndetectedSingleSubstitution() {
        // A temporary final letter at index d weighs the same as the digit d, so 0<->A, 1<->B, ...
        // 9<->K turn a permanent UPN into a valid temporary one. Every other cross-class swap is caught.
        Random random = new Random(SEED + 2);
        for (int i = 0; i < 3_000; i++) {
            String permanent = randomPermanent(random);
            int finalDigit = permanent.charAt(12) - '0';
            for (char letter : Upn.ALPHABET.toCharArray()) {
                String mutated = permanent.substring(0, 12) + letter;
                boolean undetected = validator.check(mutated).valid();
                assertThat(undetected).as("%s -> %s", permanent, mutated).isEqualTo(Upn.ALPHABET.indexOf(letter) == finalDigit);
            }
        }
        assertThat(validator.check("J935123420731").valid()).isTrue();
        assertThat(validator.check("J93512342073B").valid()).isTrue();
    }

    private List<Character> sameClassAlternatives(String upn, int position) {
        char current = upn.charAt(position);
        String pool;
        if (position == 0) {
            pool = Upn.ALPHABET;
        } else if (position < 12) {
            pool = DIGITS;
        } else {
            pool = Upn.isTemporary(upn) ? Upn.ALPHABET : DIGITS;
        }
        List<Character> alternatives = new ArrayList<>(pool.length() - 1);
        for (char c : pool.toCharArray()) {
            if (c != current) {
                alternatives.add(c);
            }
        }
        return alternatives;
    }

    private String randomPermanent(Random random) {
        return Upn.permanent(randomLa(random), fourDigits(random), random.nextInt(100), random.nextInt(1000));
    }

    private String randomTemporary(Random random) {
        return Upn.temporary(randomLa(random), fourDigits(random), random.nextInt(100), random.nextInt(100),
                Upn.ALPHABET.charAt(random.nextInt(Upn.ALPHABET.length())));
    }

    private String randomLa(Random random) {
        return laCodes.get(random.nextInt(laCodes.size()));
    }

    private static String fourDigits(Random random) {
        return String.format("%04d", random.nextInt(10_000));
    }
}
