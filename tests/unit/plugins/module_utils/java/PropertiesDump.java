// GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
//
// The test oracle for .properties files: loads every file named on the command
// line with java.util.Properties.load(InputStream), the ISO-8859-1 reader the
// java_properties module writes for, and prints one line of JSON per file.
// Every character of keys and values is written as a JSON unicode escape (a
// backslash, u and four hex digits), so that no byte of the output depends on
// the platform encoding.
//
// Run with the single-file launcher (JDK 11+): java PropertiesDump.java FILE...

import java.io.FileInputStream;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;

public class PropertiesDump {
    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            out.append(String.format("\\u%04x", (int) c));
        }
        return out.append('"').toString();
    }

    public static void main(String[] args) throws Exception {
        for (String path : args) {
            Properties properties = new Properties();
            try (InputStream in = new FileInputStream(path)) {
                properties.load(in);
            } catch (IllegalArgumentException e) {
                System.out.println("{\"__error__\": \"" + e.getClass().getSimpleName() + "\"}");
                continue;
            }
            StringBuilder out = new StringBuilder("{");
            for (Map.Entry<Object, Object> entry : properties.entrySet()) {
                if (out.length() > 1) {
                    out.append(", ");
                }
                out.append(quote((String) entry.getKey())).append(": ").append(quote((String) entry.getValue()));
            }
            System.out.println(out.append('}'));
        }
    }
}
