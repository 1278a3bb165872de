// Saving text as a file from the page: a Blob behind a temporary link with a download name. Works in
// the browser shell and in Electron's renderer alike (the main process's will-download saves it).
export function downloadText(fileName: string, text: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has been handled, not before the download has started.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
