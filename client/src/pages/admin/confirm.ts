// Confirmation before an irreversible step. The browser's own dialog is accessible and
// keyboard-usable everywhere; a styled modal can replace it later without touching callers.
export const modals = {
  confirm(message: string, onConfirm: () => void): void {
    if (window.confirm(message)) onConfirm();
  },
};
