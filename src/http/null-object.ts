/**
 * A constructor for prototype-less maps. `Object.create(null)` objects start in V8's dictionary
 * mode (a hash table per object); instances of a constructor whose prototype is
 * `Object.create(null)` start with fast properties and still have no `__proto__`/`constructor`
 * keys (the trick find-my-way and Node's querystring use).
 */
export const NullObject = function () {} as unknown as new () => Record<string, never>;
NullObject.prototype = Object.create(null) as object;

export function nullObject<T>(): Record<string, T> {
  return new NullObject();
}
