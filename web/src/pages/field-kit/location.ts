/** Where the phone is, when the person allows it: a road chief on site records where the visit was. */
export interface Spot {
  lat: number;
  lng: number;
  accuracy: number;
}

export function locate(timeoutMs = 10_000): Promise<Spot> {
  return new Promise((resolve, reject) => {
    if (!("geolocation" in navigator)) return reject(new Error("unsupported"));
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: Math.round(p.coords.latitude * 1e6) / 1e6, lng: Math.round(p.coords.longitude * 1e6) / 1e6, accuracy: Math.round(p.coords.accuracy) }),
      (e) => reject(e),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}

/** A place as the field forms hold it: a few words, and the phone's position when it gave one. */
export interface Place {
  address: string;
  lat: number | null;
  lng: number | null;
}

export const noPlace = (): Place => ({ address: "", lat: null, lng: null });

/** The `location` member of a write's body, or nothing when the person gave no place. */
export function locationJson(place: Place): { location?: { address: string | null; lat: number | null; lng: number | null } } {
  const address = place.address.trim();
  return address || place.lat !== null ? { location: { address: address || null, lat: place.lat, lng: place.lng } } : {};
}
