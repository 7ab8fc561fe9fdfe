// Tool for fetch.sh (not an artifact): copies modules out of another JDK's runtime image
// (lib/modules) into exploded directories, through that JDK's own jrt-fs.jar:
//   java JrtExtract JAVA_HOME OUTDIR MODULE...
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;

public class JrtExtract {
    public static void main(String[] args) throws Exception {
        Path out = Paths.get(args[1]);
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("jrt:/"), Map.of("java.home", args[0]))) {
            for (int i = 2; i < args.length; i++) {
                Path root = fs.getPath("/modules", args[i]);
                if (!Files.isDirectory(root)) throw new IllegalArgumentException("no module " + args[i]);
                try (Stream<Path> s = Files.walk(root)) {
                    for (Path p : (Iterable<Path>) s::iterator) {
                        Path t = out.resolve(args[i]).resolve(root.relativize(p).toString());
                        if (Files.isDirectory(p)) Files.createDirectories(t);
                        else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }
}
