// The enrolment QR code as SVG (the `qrcode` package), so an authenticator app can scan the otpauth:// URI.
/** Loaded on the first enrolment, which few invocations ever are (docs/deploy.md). */
export async function qrSvg(text: string): Promise<string> {
  const { default: QRCode } = await import("qrcode");
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}
