package dev.mecgw.app.console.cameras;

import dev.mecgw.app.inference.CameraOverview.Box;
import dev.mecgw.app.inference.CameraOverview.CameraResult;
import java.util.List;
import java.util.Locale;

/**
 * One camera's tile: its newest result, the thumbnail's URL and the SVG view box in frame pixels that its
 * detection boxes are drawn in.
 *
 * @param result the newest vision result
 */
public record CameraView(CameraResult result) {

    /** The thumbnail's URL, or null when none was kept. */
    public String thumbnailUrl() {
        return result.thumbnail().map(t -> "/console/cameras/thumbnails/" + t).orElse(null);
    }

    /** Whether the boxes can be placed: the frame's size is known. */
    public boolean scaled() {
        return result.frameWidth() > 0 && result.frameHeight() > 0;
    }

    /** The SVG view box: the frame in pixels, so boxes keep their place at any displayed size. */
    public String viewBox() {
        return "0 0 " + result.frameWidth() + " " + result.frameHeight();
    }

    /** The detection boxes as SVG rectangles in frame pixels. */
    public List<BoxView> boxes() {
        return result.boxes().stream().map(BoxView::of).toList();
    }

    /**
     * One box as drawn: its corner, size and caption.
     *
     * @param caption label and score, e.g. {@code person 0.91}
     */
    public record BoxView(String caption, String x, String y, String width, String height) {

        static BoxView of(Box box) {
            return new BoxView(
                    box.label() + " " + String.format(Locale.ROOT, "%.2f", box.score()),
                    number(box.x1()),
                    number(box.y1()),
                    number(box.x2() - box.x1()),
                    number(box.y2() - box.y1()));
        }

        private static String number(double value) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
    }
}
