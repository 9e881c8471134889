package org.pupilflow.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The problem types a service adds to the generic ones ({@link ProblemType#GENERIC}). Declare one
 * bean per service; {@link #all(Collection)} is what its API reference lists.
 */
public record ProblemTypes(List<ProblemType> types) {

    public ProblemTypes {
        types = List.copyOf(types);
    }

    public static ProblemTypes of(ProblemType... types) {
        return new ProblemTypes(List.of(types));
    }

    /** The generic types then every service-specific one, each once (by slug). */
    public static List<ProblemType> all(Collection<ProblemTypes> contributions) {
        Map<String, ProblemType> bySlug = new LinkedHashMap<>();
        ProblemType.GENERIC.forEach(type -> bySlug.put(type.slug(), type));
        contributions.forEach(contribution -> contribution.types().forEach(type -> bySlug.putIfAbsent(type.slug(), type)));
        return new ArrayList<>(bySlug.values());
    }
}
