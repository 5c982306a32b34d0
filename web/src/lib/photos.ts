/**
 * Photos are compressed on the phone before upload (a 3–8 MB camera photo becomes ~300 KB):
 * faster on a weak signal, and within the files API's limits. browser-image-compression loads only
 * here; `useWebWorker: false` because its worker would load itself from a CDN.
 */
export async function compressPhoto(file: File): Promise<File> {
  if (!file.type.startsWith("image/") || file.size < 300 * 1024) return file;
  const { default: imageCompression } = await import("browser-image-compression");
  try {
    const out = await imageCompression(file, { maxSizeMB: 0.5, maxWidthOrHeight: 1920, useWebWorker: false, initialQuality: 0.8, fileType: "image/jpeg" });
    return new File([out], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg", lastModified: file.lastModified });
  } catch {
    return file; // HEIC on some browsers: the API accepts it as it is
  }
}
