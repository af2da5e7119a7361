// A small illustration for empty states, inline so that it needs no network.
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="226" height="160" viewBox="0 0 226 160"><rect x="38" y="22" width="150" height="116" rx="14" fill="#f1f1f1"/><rect x="58" y="46" width="70" height="10" rx="5" fill="#d4d4d4"/><rect x="58" y="68" width="110" height="8" rx="4" fill="#e3e3e3"/><rect x="58" y="86" width="96" height="8" rx="4" fill="#e3e3e3"/><rect x="58" y="104" width="80" height="8" rx="4" fill="#e3e3e3"/><circle cx="176" cy="120" r="26" fill="#29845a"/><path d="M164 120l8 8 16-16" stroke="#fff" stroke-width="6" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

export const EMPTY_IMAGE = `data:image/svg+xml,${encodeURIComponent(svg)}`;
