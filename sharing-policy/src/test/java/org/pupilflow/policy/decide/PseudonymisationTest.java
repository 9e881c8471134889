package org.pupilflow.policy.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pupilflow.policy.decide.EngineFixtures.DECIDED_AT;
import static org.pupilflow.policy.decide.EngineFixtures.KEY;
import static org.pupilflow.policy.decide.EngineFixtures.decision;
import static org.pupilflow.policy.decide.EngineFixtures.engine;
import static org.pupilflow.policy.decide.EngineFixtures.first;
import static org.pupilflow.policy.decide.EngineFixtures.norfolk;
import static org.pupilflow.policy.decide.EngineFixtures.policy;
import static org.pupilflow.policy.decide.EngineFixtures.primary;
import static org.pupilflow.policy.decide.EngineFixtures.sample;
import static org.pupilflow.policy.decide.EngineFixtures.upn;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pupilflow.census.Address;
import org.pupilflow.census.CensusPupil;
import org.pupilflow.identifiers.Upn;
import org.pupilflow.policy.SharingPolicy;
import org.pupilflow.policy.load.PolicyLoader;
import org.pupilflow.sharing.PupilDisclosure;

/**
 * The NCMP research extract (Norfolk's nhs-ncmp-research) must not identify a pupil: "The
 * statistics are used in such a way that individual pupils cannot be identified from them".
 * The UPN is replaced by a keyed HMAC pseudonym, names, parents and telephones never go, and the
 * address shrinks to the postcode district.
 */
class PseudonymisationTest {

    private static final SharingPolicy NORFOLK = norfolk();
    private static final SharingEngine ENGINE = engine(NORFOLK);

    @Test
    void researchRecordCarriesTheKeyedPseudonymInsteadOfTheUpnAndNoDirectIdentifier() throws Exception {
        CensusPupil pupil = first("primary Year 6 pupil", primary("6"));

        Decision research = decision(ENGINE.evaluate(pupil, List.of(), DECIDED_AT), "nhs-ncmp-research");

        PupilDisclosure record = research.disclosure();
        // The recipient's own key, HMAC-SHA256(master key, "pupilflow pseudonym key|" + recipient id), then the pseudonym with it.
        String expected = hmacSha256Hex(recipientKey(KEY, "nhs-ncmp-research"), upn(pupil));
        assertThat(record.getPseudonymised()).isTrue();
        assertThat(record.getPupilPseudonym()).isEqualTo(expected).matches("[0-9a-f]{64}");
        assertThat(record.getIdentity()).isNull();
        assertThat(record.getNames()).isNull();
        assertThat(record.getParents()).isNull();
        assertThat(record.getTelephones()).isNull();
        assertThat(record.getDateOfBirth()).isNull();
        assertThat(research.recordKey()).isEqualTo(expected);
        assertThat(research.event().getRecipientKey()).isEqualTo(expected);
        assertThat(research.event().getPupilPseudonym()).isEqualTo(expected);
        assertThat(research.event().getPseudonymised()).isTrue();
        assertThat(record.getPseudonymKeyVersion()).isEqualTo(SharingEngine.FIRST_KEY_VERSION);
        assertThat(research.event().getPseudonymKeyVersion()).isEqualTo(SharingEngine.FIRST_KEY_VERSION);
        // The LA's own audit keeps the UPN, so a subject access request finds research disclosures too.
        assertThat(research.event().getUpn()).isEqualTo(upn(pupil));
    }

    @Test
    void identifiedNcmpRecordOfTheSamePupilIsNotPseudonymised() {
        // The other side: the identified NCMP feed is keyed by UPN and carries no pseudonym.
        CensusPupil pupil = first("primary Year 6 pupil", primary("6"));

        Decision ncmp = decision(ENGINE.evaluate(pupil, List.of(), DECIDED_AT), "nhs-ncmp");

        assertThat(ncmp.disclosure().getPseudonymised()).isFalse();
        assertThat(ncmp.disclosure().getPupilPseudonym()).isNull();
        assertThat(ncmp.recordKey()).isEqualTo(upn(pupil));
    }

    @Test
    void researchAddressIsReducedToThePostcodeDistrictAndTheCensusRecordIsLeftAlone() {
        CensusPupil pupil = first("primary Reception pupil with a full address",
                primary("R").and(p -> p.getAddress().getPostcode() != null && p.getAddress().getUprn() != null));
        Address before = Address.newBuilder(pupil.getAddress()).build();

        Decision research = decision(ENGINE.evaluate(pupil, List.of(), DECIDED_AT), "nhs-ncmp-research");

        Address reduced = research.disclosure().getAddress();
        assertThat(reduced.getPostcode()).isEqualTo(pupil.getAddress().getPostcode().split(" ")[0]);
        assertThat(reduced.getLines()).isEmpty();
        assertThat(reduced.getTown()).isNull();
        assertThat(reduced.getUprn()).isNull();
        // Siblings share one Address object in the census: reducing it in place would corrupt theirs.
        assertThat(pupil.getAddress()).isEqualTo(before);
        assertThat(research.disclosure().getDisclosedFields()).contains("address");
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource({"NR19 1AB, NR19", "NR191AB, NR19", "NR1 3QB, NR1", "NR13QB, NR1", "'  NR2 4TJ ', NR2"})
    void postcodeDistrictIsTheOutwardCodeWhateverTheSpacing(String postcode, String district) {
        CensusPupil generated = first("primary Year 6 pupil", primary("6"));
        CensusPupil pupil = CensusPupil.newBuilder(generated)
                .setAddress(Address.newBuilder(generated.getAddress()).setPostcode(postcode).build())
                .build();

        Decision research = decision(ENGINE.evaluate(pupil, List.of(), DECIDED_AT), "nhs-ncmp-research");

        assertThat(research.disclosure().getAddress().getPostcode()).isEqualTo(district);
    }

    @Test
    void serialisedResearchRecordsContainNoUpnNamesOrFullPostcode() {
        int checked = 0;
        for (CensusPupil pupil : sample()) {
            String year = pupil.getEnrolment().getNcYearActual();
            if (!year.equals("R") && !year.equals("6")) {
                continue;
            }
            Decision research = decision(ENGINE.evaluate(pupil, List.of(), DECIDED_AT), "nhs-ncmp-research");
            // What actually leaves the LA: the Avro encoding of the record (the Kafka serde adds only a header).
            byte[] bytes = encode(research.disclosure());

            assertThat(contains(bytes, upn(pupil))).as("UPN of %s in the research record", upn(pupil)).isFalse();
            // A name can also be part of the school's name (King, King's Lynn), which the research extract may carry.
            String schoolName = pupil.getSchool().getName();
            for (String name : List.of(pupil.getNames().getLegalSurname(), pupil.getNames().getLegalForename())) {
                if (!schoolName.contains(name)) {
                    assertThat(contains(bytes, name)).as("name '%s' of %s in the research record", name, upn(pupil)).isFalse();
                }
            }
            if (pupil.getAddress().getPostcode() != null) {
                assertThat(contains(bytes, pupil.getAddress().getPostcode())).as("full postcode of %s", upn(pupil)).isFalse();
            }
            checked++;
        }

        assertThat(checked).as("Reception and Year 6 pupils in the sample").isGreaterThan(500);
    }

    @Test
    void sameKeyGivesTheSamePseudonymAndAnotherKeyAnother() {
        CensusPupil pupil = first("primary Reception pupil", primary("R"));
        byte[] otherKey = KEY.clone();
        otherKey[0] ^= 1;

        String first = pseudonym(ENGINE, pupil);
        String again = pseudonym(new SharingEngine(norfolk(), new Pseudonymiser(KEY.clone())), pupil);
        String other = pseudonym(new SharingEngine(norfolk(), new Pseudonymiser(otherKey)), pupil);

        // Same key: extracts link over time. Another key (another LA): they do not.
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first).matches("[0-9a-f]{64}");
    }

    @Test
    void twoPseudonymisedRecipientsGetDifferentPseudonymsForTheSamePupilAndEachTheSameOneEveryTime() {
        SharingPolicy dfe = new PolicyLoader().load(EngineFixtures.POLICIES.resolve("dfe-onward-sharing.yaml"));
        SharingEngine engine = engine(dfe);
        SharingEngine restarted = new SharingEngine(dfe, new Pseudonymiser(KEY.clone()));
        CensusPupil pupil = first("primary Reception pupil", primary("R"));

        Evaluation evaluation = engine.evaluate(pupil, List.of(), DECIDED_AT);
        String atNcmp = decision(evaluation, "dh-ncmp").disclosure().getPupilPseudonym();
        String atOfsted = decision(evaluation, "ofsted").disclosure().getPupilPseudonym();

        // Two recipients cannot join their feeds on the pseudonym ...
        assertThat(atNcmp).matches("[0-9a-f]{64}").isNotEqualTo(atOfsted);
        assertThat(atOfsted).matches("[0-9a-f]{64}");
        // ... while each recipient gets the same pseudonym every time: the next decision, another engine, a later return.
        Evaluation again = restarted.evaluate(pupil, List.of(), DECIDED_AT.plusSeconds(86_400 * 120));
        assertThat(decision(again, "dh-ncmp").disclosure().getPupilPseudonym()).isEqualTo(atNcmp);
        assertThat(decision(again, "ofsted").disclosure().getPupilPseudonym()).isEqualTo(atOfsted);
        assertThat(decision(again, "ofsted").event().getPupilPseudonym()).isEqualTo(atOfsted);
        // Disclosure ids stay keyed with the master key, exactly as before per-recipient keys.
        assertThat(decision(evaluation, "ofsted").disclosure().getDisclosureId())
                .isEqualTo(decision(restarted.evaluate(pupil, List.of(), DECIDED_AT), "ofsted").disclosure().getDisclosureId());
    }

    @Test
    void recipientKeysAreDerivedFromTheMasterKeyAndDifferFromIt() throws Exception {
        Pseudonymiser master = new Pseudonymiser(KEY);

        assertThat(master.forRecipient("ofsted").pseudonym("J935123420731"))
                .isEqualTo(hmacSha256Hex(recipientKey(KEY, "ofsted"), "J935123420731"))
                .isNotEqualTo(master.pseudonym("J935123420731"))
                .isNotEqualTo(master.forRecipient("dh-ncmp").pseudonym("J935123420731"));
    }

    @Test
    void theKeyVersionTravelsWithEveryPseudonymAndOnlyWithPseudonyms() {
        SharingEngine rotated = new SharingEngine(NORFOLK, new Pseudonymiser(KEY), 2);
        CensusPupil pupil = first("primary Year 6 pupil", primary("6"));

        Evaluation evaluation = rotated.evaluate(pupil, List.of(), DECIDED_AT);

        Decision research = decision(evaluation, "nhs-ncmp-research");
        assertThat(research.disclosure().getPseudonymKeyVersion()).isEqualTo(2);
        assertThat(research.event().getPseudonymKeyVersion()).isEqualTo(2);
        for (Decision identified : evaluation.decisions().stream().filter(d -> !d.recipient().pseudonymised()).toList()) {
            assertThat(identified.event().getPseudonymKeyVersion()).as(identified.recipient().id()).isNull();
        }
        assertThatThrownBy(() -> new SharingEngine(NORFOLK, new Pseudonymiser(KEY), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version");
    }

    @Test
    void differentPupilsGetDifferentPseudonyms() {
        List<String> pseudonyms = sample().stream()
                .filter(primary("R"))
                .map(p -> new Pseudonymiser(KEY).pseudonym(upn(p)))
                .toList();

        assertThat(pseudonyms).hasSizeGreaterThan(200).doesNotHaveDuplicates();
    }

    @Test
    void pseudonymiserKeepsItsOwnCopyOfTheKey() {
        byte[] key = KEY.clone();
        Pseudonymiser pseudonymiser = new Pseudonymiser(key);
        String before = pseudonymiser.pseudonym("J935123420731");

        Arrays.fill(key, (byte) 0);

        assertThat(pseudonymiser.pseudonym("J935123420731")).isEqualTo(before);
    }

    /**
     * Pseudonyms and disclosure ids are HmacSHA256 of their name whatever the key's length, also when the ids of one
     * pupil are finished from a copy of a {@code Mac} that took the names' common start ({@code idPrefix}), and when
     * several threads (the router's stream threads) share one Pseudonymiser.
     */
    @Test
    void pseudonymsAndIdsAreHmacSha256OfTheirNameForAnyKeyFromAPrefixAndFromSeveralThreads() throws Exception {
        java.util.Random random = new java.util.Random(17);
        for (int keyLength : new int[] {32, 63, 64, 65, 100}) {
            byte[] key = new byte[keyLength];
            random.nextBytes(key);
            Pseudonymiser pseudonymiser = new Pseudonymiser(key);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (int messageLength : new int[] {0, 1, 13, 55, 56, 64, 150, 1000}) {
                byte[] message = new byte[messageLength];
                random.nextBytes(message);
                assertThat(pseudonymiser.hmac(message)).as("key %d bytes, message %d bytes", keyLength, messageLength).isEqualTo(mac.doFinal(message));
            }
            assertThat(pseudonymiser.pseudonym("J935123420731"))
                    .isEqualTo(HexFormat.of().formatHex(mac.doFinal("J935123420731".getBytes(StandardCharsets.US_ASCII))));
            Pseudonymiser.IdPrefix prefix = pseudonymiser.idPrefix("R-1|J935123420731");
            for (String rest : new String[] {"", "|nhs|abc|SHARED|", "|a-rather-longer-recipient-id-to-cross-a-block|0123456789abcdef|WITHHELD|o-1,o-2"}) {
                // the same prefix, used again and again, still gives each whole name's id
                assertThat(prefix.keyedId(rest.getBytes(StandardCharsets.UTF_8))).as(rest).isEqualTo(pseudonymiser.keyedId("R-1|J935123420731" + rest));
                assertThat(pseudonymiser.keyedId("R-1|J935123420731" + rest)).isEqualTo(uuidOf(mac.doFinal(
                        ("disclosure-id|R-1|J935123420731" + rest).getBytes(StandardCharsets.UTF_8))));
            }
        }
        Pseudonymiser shared = new Pseudonymiser(KEY);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        byte[] expected = mac.doFinal("J935123420731".getBytes(StandardCharsets.US_ASCII));
        UUID expectedId = shared.keyedId("R-1|J935123420731|nhs|");
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 5_000; i++) {
                    if (!Arrays.equals(shared.hmac("J935123420731".getBytes(StandardCharsets.US_ASCII)), expected)
                            || !shared.idPrefix("R-1|J935123420731").keyedId("|nhs|".getBytes(StandardCharsets.UTF_8)).equals(expectedId)) {
                        wrong.incrementAndGet();
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(wrong).hasValue(0);
    }

    /** RFC 9562 version 8 with the IETF variant from the first 16 bytes of an HMAC, as disclosure ids are made. */
    private static UUID uuidOf(byte[] hmac) {
        ByteBuffer bytes = ByteBuffer.wrap(hmac);
        long high = (bytes.getLong() & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000008000L;
        long low = (bytes.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    @Test
    void keyShorterThanThirtyTwoBytesIsRefused() {
        assertThatThrownBy(() -> new Pseudonymiser(new byte[31])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32");
        assertThatThrownBy(() -> new Pseudonymiser(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatCode(() -> new Pseudonymiser(new byte[32])).doesNotThrowAnyException();
    }

    @Test
    void engineForAPolicyWithAPseudonymisedRecipientRefusesToStartWithoutAKey() {
        assertThatThrownBy(() -> new SharingEngine(NORFOLK, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nhs-ncmp-research");
    }

    @Test
    void engineForAPolicyWithoutPseudonymisedRecipientsNeedsNoKey() {
        SharingPolicy identifiedOnly = policy("identified-only.yaml", """
                id: identified-only
                version: "1"
                controller: Test County Council
                recipients:
                  - id: dfe
                    name: Department for Education
                    topic: recipient.dfe
                    purpose: Statutory census return.
                    legalBasis: "Education Act 1996 s537A"
                    statutory: true
                    fields: [identity, names]
                """);

        assertThatCode(() -> new SharingEngine(identifiedOnly, null)).doesNotThrowAnyException();
    }

    @Test
    void researchRecordsDisclosureIdDoesNotGiveTheUpnAway() {
        CensusPupil pupil = first("primary Year 6 pupil with a permanent UPN", primary("6").and(p -> !Upn.isTemporary(upn(p))));
        PupilDisclosure record = decision(ENGINE.evaluate(pupil, List.of(), DECIDED_AT), "nhs-ncmp-research").disclosure();

        // The recipient's attack, using nothing but the record: every permanent UPN the school it names could have issued.
        String recovered = null;
        for (int year = 0; year < 100 && recovered == null; year++) {
            for (int serial = 0; serial < 1000; serial++) {
                String candidate = Upn.permanent(record.getSchool().getLaNumber(), record.getSchool().getEstablishmentNumber(), year, serial);
                String name = record.getReturnId() + '|' + candidate + '|' + record.getRecipientId() + '|' + record.getPolicyContentHash();
                if (UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString().equals(record.getDisclosureId())) {
                    recovered = candidate;
                    break;
                }
            }
        }

        assertThat(recovered).as("UPN recovered from the research record's disclosure id").isNull();
    }

    private static String pseudonym(SharingEngine engine, CensusPupil pupil) {
        return decision(engine.evaluate(pupil, List.of(), DECIDED_AT), "nhs-ncmp-research").disclosure().getPupilPseudonym();
    }

    /** A recipient's key, derived here with the JDK, independently of {@link Pseudonymiser}. */
    private static byte[] recipientKey(byte[] master, String recipientId) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(master, "HmacSHA256"));
        return mac.doFinal(("pupilflow pseudonym key|" + recipientId).getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC-SHA256 computed here with the JDK, independently of {@link Pseudonymiser}. */
    private static String hmacSha256Hex(byte[] key, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.US_ASCII)));
    }

    private static byte[] encode(PupilDisclosure record) {
        try {
            ByteBuffer buffer = PupilDisclosure.getEncoder().encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean contains(byte[] haystack, String needle) {
        byte[] target = needle.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + target.length <= haystack.length; i++) {
            for (int j = 0; j < target.length; j++) {
                if (haystack[i + j] != target[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
