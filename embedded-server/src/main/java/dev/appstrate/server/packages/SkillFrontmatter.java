package dev.appstrate.server.packages;

import dev.appstrate.server.http.ApiException;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The YAML front matter of a SKILL.md, which must name the skill. */
final class SkillFrontmatter {
    private SkillFrontmatter() {
    }

    static String requireName(String skillMd) {
        String text = skillMd.startsWith("\uFEFF") ? skillMd.substring(1) : skillMd;
        if (!text.startsWith("---")) {
            throw invalid("SKILL.md must start with YAML front matter (---) that sets name");
        }
        int end = text.indexOf("\n---", 3);
        if (end < 0) {
            throw invalid("SKILL.md front matter is not closed by ---");
        }
        Object doc;
        try {
            doc = new Load(LoadSettings.builder().setAllowDuplicateKeys(false).setMaxAliasesForCollections(10).build())
                    .loadFromString(text.substring(3, end));
        } catch (RuntimeException e) {
            throw invalid("SKILL.md front matter is not valid YAML");
        }
        if (!(doc instanceof Map<?, ?> map) || !(map.get("name") instanceof String name) || name.isBlank()) {
            throw invalid("SKILL.md front matter must set name");
        }
        return name;
    }

    private static ApiException invalid(String detail) {
        return new ApiException(400, "invalid_content", detail);
    }
}
