package org.pupilflow.formats.collect;

import org.pupilflow.formats.xml.XmlElement;

/**
 * A value of the school census found by its element name a module deep: the name is the value's
 * own element, the containers around it only group it (the flattened census tables confirm each
 * name is unique among a pupil's values), so the reader does not depend on them.
 *
 * @param text the element's text, or null when absent
 * @param path where it was found, below the record, for issues ({@code PupilIdentifiers/UPN}), or
 *             just the name when it is absent
 */
record Found(String text, String path) {

    /** The first {@code name} that is a child of {@code parent} or of one of its children. */
    static Found in(XmlElement parent, String parentPath, String name) {
        if (parent == null) {
            return new Found(null, prefix(parentPath) + name);
        }
        XmlElement direct = parent.child(name);
        if (direct != null) {
            return new Found(direct.text(), prefix(parentPath) + name);
        }
        for (XmlElement module : parent.children()) {
            XmlElement inModule = module.child(name);
            if (inModule != null) {
                return new Found(inModule.text(), prefix(parentPath) + module.name + "/" + name);
            }
        }
        return new Found(null, prefix(parentPath) + name);
    }

    private static String prefix(String parentPath) {
        return parentPath == null || parentPath.isEmpty() ? "" : parentPath + "/";
    }
}
