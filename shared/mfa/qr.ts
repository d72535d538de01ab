// The enrolment QR code as SVG (the `qrcode` package), so an authenticator app can scan the otpauth:// URI.
import QRCode from "qrcode";

export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}
