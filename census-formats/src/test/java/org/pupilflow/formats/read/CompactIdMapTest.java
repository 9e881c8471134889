package org.pupilflow.formats.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class CompactIdMapTest {

    @Test
    void itBehavesAsAMapForIdsOfEveryShape() {
        CompactIdMap map = CompactIdMap.forDecimalIds();
        Map<String, Integer> reference = new HashMap<>();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 200_000; i++) {
            String id = switch (random.nextInt(4)) {
                case 0 -> Long.toString(random.nextLong(1_000_000));
                case 1 -> "0" + random.nextInt(1000);
                case 2 -> "A" + random.nextInt(1000);
                default -> Long.toString(random.nextLong(Long.MAX_VALUE));
            };
            assertThat(map.putIfAbsent(id, i)).as(id).isEqualTo(reference.putIfAbsent(id, i));
        }
        assertThat(map.size()).isEqualTo(reference.size());
        reference.forEach((id, value) -> assertThat(map.get(id)).as(id).isEqualTo(value));
        assertThat(map.get("7")).isEqualTo(reference.get("7"));
        assertThat(map.get("007")).as("leading zeros are another id").isEqualTo(reference.get("007"));
    }

    @Test
    void upnsArePackedWithoutCollisions() {
        assertThat(CompactIdMap.packUpn("J935123420731")).isNotEqualTo(CompactIdMap.packUpn("J935123420732"))
                .isNotEqualTo(CompactIdMap.packUpn("K935123420731"));
        assertThat(CompactIdMap.packUpn("V93512342073A")).isNotEqualTo(CompactIdMap.packUpn("V935123420730"));
        assertThat(CompactIdMap.packUpn("J93512342073")).isEqualTo(-1);
        assertThat(CompactIdMap.packUpn("j935123420731")).isEqualTo(-1);
    }
}
