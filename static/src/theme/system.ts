import { createSystem, defaultConfig, defineConfig } from "@chakra-ui/react";

// Airflow 3's brand and gray palettes (from its Chakra theme), so the app sits naturally in its shell.
const config = defineConfig({
  theme: {
    tokens: {
      colors: {
        brand: {
          50: { value: "oklch(0.98 0.006 248.717)" },
          100: { value: "oklch(0.962 0.012 249.460)" },
          200: { value: "oklch(0.923 0.023 255.082)" },
          300: { value: "oklch(0.865 0.039 252.420)" },
          400: { value: "oklch(0.705 0.066 256.378)" },
          500: { value: "oklch(0.575 0.08 257.759)" },
          600: { value: "oklch(0.469 0.084 257.657)" },
          700: { value: "oklch(0.399 0.084 257.850)" },
          800: { value: "oklch(0.324 0.072 260.329)" },
          900: { value: "oklch(0.259 0.062 265.566)" },
          950: { value: "oklch(0.179 0.05 265.487)" },
        },
        gray: {
          50: { value: "oklch(0.985 0.004 253)" },
          100: { value: "oklch(0.955 0.006 253)" },
          200: { value: "oklch(0.915 0.01 253)" },
          300: { value: "oklch(0.85 0.016 253)" },
          400: { value: "oklch(0.75 0.025 252)" },
          500: { value: "oklch(0.63 0.042 252)" },
          600: { value: "oklch(0.45 0.055 251)" },
          700: { value: "oklch(0.35 0.045 251)" },
          800: { value: "oklch(0.28 0.035 251)" },
          900: { value: "oklch(0.18 0.03 251)" },
          950: { value: "oklch(0.11 0.025 251)" },
        },
      },
    },
    semanticTokens: {
      colors: {
        brand: {
          solid: { value: { _light: "{colors.brand.600}", _dark: "{colors.brand.400}" } },
          contrast: { value: { _light: "white", _dark: "{colors.brand.950}" } },
          fg: { value: { _light: "{colors.brand.700}", _dark: "{colors.brand.300}" } },
          muted: { value: { _light: "{colors.brand.200}", _dark: "{colors.brand.800}" } },
          subtle: { value: { _light: "{colors.brand.100}", _dark: "{colors.brand.900}" } },
          emphasized: { value: { _light: "{colors.brand.300}", _dark: "{colors.brand.700}" } },
          focusRing: { value: { _light: "{colors.brand.500}", _dark: "{colors.brand.400}" } },
        },
      },
    },
    recipes: {
      button: { base: { colorPalette: "brand" }, defaultVariants: { size: "sm" } },
    },
  },
  globalCss: {
    "html, body": { bg: "bg", color: "fg" },
  },
});

export const system = createSystem(defaultConfig, config);
