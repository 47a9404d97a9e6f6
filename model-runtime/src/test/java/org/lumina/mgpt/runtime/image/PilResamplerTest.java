package org.lumina.mgpt.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * Tests {@link PilResampler} against {@code PIL.Image.resize} (Pillow 9.4.0). The expected
 * samples were printed by Pillow for {@link #pattern} images, channel by channel, row by row:
 * <pre>
 * a[y, x, c] = (x*37 + y*11 + c*91 + (x*y) % 7 * 13) % 256
 * Image.fromarray(a, "RGB").resize((w, h), Image.BICUBIC)  # or Image.BOX
 * </pre>
 */
class PilResamplerTest {

	static final String DOWN_23X17_TO_8X6 = "66 165 68 139 123 84 169 66 119 168 72 177 96 133 157 77 145 140 79 168 56 159 100 90 148 91 "
		+ "125 132 93 156 93 137 141 79 139 103 109 141 87 145 143 88 174 92 148 140 102 187 153 122 115 "
		+ "161 97 149 94 128 144 70 153 93 117 142 82 149 137 86 158 91 136 132 100 154 134 126 170 88 "
		+ "186 105 146 173 114 150 186 104 209 117 171 186 80 170 101 131 154 92 152 87 130 108 186 89 "
		+ "178 128 128 198 115 157 192 108 218 118 179 185 96 161 139 124 175 107 173 107 94 188 67 174 "
		+ "120 110 186 68 143 123 74 173 60 156 111 86 149 110 105 156 81 161 104 113";

	static final String UP_5X4_TO_12X9 = "0 2 15 33 48 63 78 93 108 126 139 146 1 4 19 37 54 70 86 102 118 137 152 160 3 9 26 48 67 85 "
		+ "103 121 140 165 184 193 6 16 35 60 82 103 123 145 166 190 208 216 11 21 43 71 94 118 143 172 "
		+ "193 198 197 197 15 26 50 81 107 133 161 193 211 202 185 179 21 33 59 93 124 153 175 189 200 "
		+ "204 206 206 25 38 66 104 138 171 184 176 177 205 234 244 27 40 70 108 144 179 188 171 168 205 "
		+ "245 255 86 93 106 124 139 154 169 182 200 228 252 255 88 95 110 128 145 160 178 197 211 216 "
		+ "217 218 92 100 117 139 157 175 200 236 245 192 134 112 98 107 126 151 173 195 218 249 243 151 "
		+ "57 20 102 112 133 161 197 232 231 196 150 83 27 2 106 117 141 172 211 246 218 125 50 24 19 13 "
		+ "112 124 156 186 188 172 131 63 14 18 38 43 116 130 171 199 152 73 29 12 9 36 68 80 118 132 178 "
		+ "205 138 33 0 0 4 42 80 95 177 185 213 220 141 30 0 8 34 52 65 72 179 187 218 227 149 37 3 16 "
		+ "44 63 78 86 182 194 235 253 173 55 15 35 66 91 110 119 189 198 228 239 169 68 34 60 92 116 134 "
		+ "142 206 193 166 130 94 62 61 93 119 124 123 123 222 188 103 21 20 55 87 119 137 128 111 105 "
		+ "229 192 96 7 18 71 102 116 126 130 132 132 232 199 113 33 44 92 110 102 103 131 160 170 234 "
		+ "201 118 40 52 101 114 97 94 131 171 186";

	static final String BOX_20X14_TO_10X7 = "28 115 138 74 74 161 120 34 121 144 63 179 227 42 135 206 149 69 185 233 98 175 83 51 151 164 "
		+ "49 104 181 89 110 194 127 60 166 163 32 116 200 69 122 171 47 114 182 80 106 128 177 53 157 "
		+ "126 72 123 156 102 112 163 132 78 128 81 97 132 130 60 118 134 87 103 119 206 101 101 165 188 "
		+ "83 125 148 107 154 78 62 133 162 41 112 160 84 68 189 74 110 142 178 63 140 195 80 116 137 93 "
		+ "90 151 129 62 123 143 99 96 213 70 138 205 81 107 197 155 76 144 120 89 163 214 55 129 203 126 "
		+ "95 169 155 108 188 223 93 151 209 161 114 194 210 41 128 192 128 87 174 216 47 134 117 105 153 "
		+ "224 61 132 203 123 111 159 152 101 201 233 77 154 231 158 107 207 100 120 181 178 92 153 214 "
		+ "106 126 187 48 161 165 40 108 198 96 54 167 171 83 180 190 49 146 220 102 89 186 196 118 199 "
		+ "23 58 184 114 44 124 205 29";

	static final String BOX_21X15_TO_10X7 = "28 115 138 74 96 141 77 77 164 123 63 179 227 42 155 230 45 138 209 152 98 175 83 51 168 86 54 "
		+ "154 167 52 111 200 103 77 184 64 80 169 158 61 140 128 48 119 146 51 122 151 94 101 175 124 96 "
		+ "128 160 99 131 231 52 129 123 79 76 137 88 79 140 118 51 112 119 206 101 101 187 104 104 168 "
		+ "127 86 154 78 62 133 118 65 136 165 44 115 189 74 110 142 131 113 145 181 66 143 159 78 109 "
		+ "168 105 112 171 132 78 152 167 91 139 210 67 142 213 50 121 192 138 87 187 219 80 190 222 66 "
		+ "143 220 150 106 167 228 93 170 231 81 142 203 210 41 128 192 107 131 195 131 90 177 117 105 "
		+ "153 224 81 156 227 64 135 206 152 101 201 233 94 204 236 80 157 234 80 126 157 131 110 160 134 "
		+ "95 169 158 66 182 230 45 158 233 48 141 212 155 101 178 86 54 171 89 57 157 170 55 113 197 66 "
		+ "63 184 69 66 172 169 38";

	/** The test pattern as RGB planes. */
	static RgbPlanes pattern(final int w, final int h) {
		final byte[][] channels = new byte[3][w * h];
		for (int c = 0; c < 3; c++) {
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++) {
					channels[c][y * w + x] = (byte) ((x * 37 + y * 11 + c * 91 + (x * y) % 7 * 13) % 256);
				}
			}
		}
		return new RgbPlanes(w, h, channels);
	}

	/** @return planes with every channel equal to {@code samples} */
	static RgbPlanes grey(final int w, final int h, final int... samples) {
		final byte[] plane = new byte[samples.length];
		for (int i = 0; i < plane.length; i++) {
			plane[i] = (byte) samples[i];
		}
		return new RgbPlanes(w, h, new byte[][] { plane, plane.clone(), plane.clone() });
	}

	static int[] samples(final String list) {
		return Arrays.stream(list.split(" ")).mapToInt(Integer::parseInt).toArray();
	}

	/** @return all samples (0..255), channel by channel */
	static int[] planar(final RgbPlanes image) {
		final int n = image.width() * image.height();
		final int[] samples = new int[3 * n];
		for (int i = 0; i < samples.length; i++) {
			samples[i] = image.channels()[i / n][i % n] & 0xff;
		}
		return samples;
	}

	@Test
	void bicubicByHand() {
		// 4x1 -> 2x1: scale 2 widens the support to 4; output 0 has center 1.0 and taps x = 0..3 at
		// (x - 0.5) / 2 = -0.25, 0.25, 0.75, 1.25 with weights 0.8671875, 0.8671875, 0.2265625,
		// -0.0703125 (sum 1.890625); for [0, 0, 255, 255] that is 255 * 0.15625 / 1.890625 = 21.07 -> 21,
		// and by symmetry output 1 is 255 - 21.07 = 233.93 -> 234
		final RgbPlanes row = grey(4, 1, 0, 0, 255, 255);
		final RgbPlanes out = PilResampler.resize(row, 2, 1, PilResampler.Filter.BICUBIC);
		assertArrayEquals(new int[] { 21, 234, 21, 234, 21, 234 }, planar(out));
	}

	@Test
	void bicubicDownscaleEqualsPillow() {
		assertArrayEquals(samples(DOWN_23X17_TO_8X6), planar(PilResampler.resize(pattern(23, 17), 8, 6,
			PilResampler.Filter.BICUBIC)));
	}

	@Test
	void bicubicUpscaleEqualsPillow() {
		assertArrayEquals(samples(UP_5X4_TO_12X9), planar(PilResampler.resize(pattern(5, 4), 12, 9,
			PilResampler.Filter.BICUBIC)));
	}

	@Test
	void boxHalvingEqualsPillow() {
		assertArrayEquals(samples(BOX_20X14_TO_10X7), planar(PilResampler.resize(pattern(20, 14), 10, 7,
			PilResampler.Filter.BOX)));
		assertArrayEquals(samples(BOX_21X15_TO_10X7), planar(PilResampler.resize(pattern(21, 15), 10, 7,
			PilResampler.Filter.BOX)));
	}

	@Test
	void sameSizeIsACopy() {
		final RgbPlanes in = pattern(7, 5);
		final RgbPlanes out = PilResampler.resize(in, 7, 5, PilResampler.Filter.BICUBIC);
		assertArrayEquals(planar(in), planar(out));
		out.channels()[0][0] = 1;
		assertEquals(0, in.channels()[0][0]);
	}
}
