package dev.mecgw.inference.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mecgw.inference.model.Preprocessing;
import dev.mecgw.inference.onnx.OnnxTensorFiles;
import dev.mecgw.inference.onnx.SharedModels;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {

    private final ImagePreprocessor preprocessor = new ImagePreprocessor();

    @Test
    void shouldReproduceTheReferenceInputBitForBitWhenResizingBilinear() throws Exception {
        // given astronaut.png and UltraFace's reference input, made from it with OpenCV's bilinear resize
        BufferedImage image = new FrameDecoder().decode(VisionModels.image("astronaut.png"));
        Path dataSet = SharedModels.dataSet("ultraface-rfb-320", 0);
        float[] expected = OnnxTensorFiles.read(dataSet.resolve("input_0.pb")).data();

        // when
        Preprocessing pre = VisionModels.ultraFace().preprocessing();
        float[] data = preprocessor.prepare(image, pre, "input").tensor().data();

        // then: same fixed-point arithmetic as OpenCV, so not one value differs
        assertThat(data).containsExactly(expected);
    }

    @Test
    void shouldPadWithNormalizedZeroAndMapBoxesBackWhenLetterboxing() {
        // given a 200x100 red image into a 100x100 input
        BufferedImage image = filled(200, 100, Color.RED);
        Preprocessing pre = new Preprocessing(
                100,
                100,
                Preprocessing.Colors.RGB,
                Preprocessing.Layout.NCHW,
                Preprocessing.Resize.LETTERBOX,
                1f,
                new float[] {127f},
                new float[] {128f},
                Preprocessing.Interpolation.BILINEAR);

        // when
        ImagePreprocessor.Prepared prepared = preprocessor.prepare(image, pre, "in");

        // then: 100x50 content centred vertically, padding 25 rows above and below
        float[] data = prepared.tensor().data();
        assertThat(prepared.tensor().shape()).containsExactly(1, 3, 100, 100);
        assertThat(data[0]).isZero();
        assertThat(data[50 * 100 + 50]).isCloseTo((255 - 127) / 128f, within(1e-6f));
        assertThat(data[10000 + 50 * 100 + 50]).isCloseTo(-127 / 128f, within(1e-6f));
        assertThat(prepared.placement().padY()).isEqualTo(25);
        BoundingBox back = prepared.placement().toFrame(0, 25, 50, 75);
        assertThat(back).isEqualTo(new BoundingBox(0, 0, 100, 100));
    }

    @Test
    void shouldOrderChannelsAndLayoutAsDeclaredWhenBgrNhwc() {
        // given
        BufferedImage image = filled(4, 4, new Color(10, 20, 30));
        Preprocessing pre = new Preprocessing(
                2,
                2,
                Preprocessing.Colors.BGR,
                Preprocessing.Layout.NHWC,
                Preprocessing.Resize.STRETCH,
                1f / 255f,
                new float[] {0f},
                new float[] {1f});

        // when
        float[] data = preprocessor.prepare(image, pre, "in").tensor().data();

        // then
        assertThat(data).hasSize(12);
        assertThat(data[0]).isCloseTo(30 / 255f, within(1e-6f));
        assertThat(data[1]).isCloseTo(20 / 255f, within(1e-6f));
        assertThat(data[2]).isCloseTo(10 / 255f, within(1e-6f));
    }

    @Test
    void shouldAverageBlocksWhenShrinking() {
        // given a 2x1 black/white image shrunk to one gray pixel
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 0, 0xffffff);
        Preprocessing pre = new Preprocessing(
                1,
                1,
                Preprocessing.Colors.GRAY,
                Preprocessing.Layout.NCHW,
                Preprocessing.Resize.STRETCH,
                1f,
                new float[] {0f},
                new float[] {1f});

        // when
        float[] data = preprocessor.prepare(image, pre, "in").tensor().data();

        // then
        assertThat(data).containsExactly(128f);
    }

    @Test
    void shouldReadTheSubImagesOwnPixelsWhenTheRasterIsSharedWithItsParent() {
        // given a 3-byte BGR image with a distinct pixel at (7, 5), and a sub-image starting there
        BufferedImage parent = new BufferedImage(16, 12, BufferedImage.TYPE_3BYTE_BGR);
        parent.setRGB(7, 5, 0x102030);
        BufferedImage sub = parent.getSubimage(7, 5, 4, 4);
        Preprocessing pre = new Preprocessing(
                4,
                4,
                Preprocessing.Colors.RGB,
                Preprocessing.Layout.NHWC,
                Preprocessing.Resize.STRETCH,
                1f,
                new float[] {0f},
                new float[] {1f});

        // when
        float[] data = preprocessor.prepare(sub, pre, "in").tensor().data();

        // then
        assertThat(data).startsWith(0x10, 0x20, 0x30, 0, 0, 0);
    }

    @Test
    void shouldTakeGrayBytesAsTheyAreWhenTheFrameIsGray() {
        // given a gray image with one sample of 200 (ImageIO's linear gray space would make getRGB brighten it)
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSample(0, 0, 0, 200);
        Preprocessing pre = new Preprocessing(
                2,
                1,
                Preprocessing.Colors.RGB,
                Preprocessing.Layout.NCHW,
                Preprocessing.Resize.STRETCH,
                1f,
                new float[] {0f},
                new float[] {1f});

        // when
        float[] data = preprocessor.prepare(image, pre, "in").tensor().data();

        // then
        assertThat(data).containsExactly(200, 0, 200, 0, 200, 0);
    }

    @Test
    void shouldOverwritePaddingAndContentWhenTheBufferHoldsAnEarlierFrame() {
        // given a direct buffer full of an earlier input, and a 4x2 white frame letterboxed into 4x4
        Preprocessing pre = new Preprocessing(
                4,
                4,
                Preprocessing.Colors.GRAY,
                Preprocessing.Layout.NCHW,
                Preprocessing.Resize.LETTERBOX,
                1f,
                new float[] {0f},
                new float[] {1f});
        FloatBuffer buffer = ByteBuffer.allocateDirect(16 * Float.BYTES)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        for (int i = 0; i < 16; i++) {
            buffer.put(i, -7f);
        }

        // when
        preprocessor.write(filled(4, 2, Color.WHITE), pre, buffer);

        // then: one padding row above and below, white in between
        float[] data = new float[16];
        buffer.get(0, data);
        assertThat(data).containsExactly(0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 0);
        assertThat(preprocessor.placement(filled(4, 2, Color.WHITE), pre).padY())
                .isEqualTo(1);
    }

    static BufferedImage filled(int w, int h, Color color) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return image;
    }
}
