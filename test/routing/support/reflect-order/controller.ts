/*
 * A controller whose `@Body()` type is only in `design:paramtypes`, and what the test prints:
 * a valid pet, a pet with an undeclared nested key, and which Reflect metadata API is installed.
 */
import { Body, Controller, createApp, Post } from 'crest';
import { Pet } from './pets';

@Controller('/pets')
class PetsController {
  @Post()
  create(@Body() pet: Pet) {
    return { name: pet.name, owner: pet.owner.name, instances: pet instanceof Pet };
  }
}

export async function answer(): Promise<void> {
  const app = createApp({ controllers: [PetsController] });
  const valid = await app.inject({ method: 'POST', url: '/pets', body: { name: 'Rex', owner: { name: 'Ann' } } });
  const undeclared = await app.inject({
    method: 'POST',
    url: '/pets',
    body: { name: 'Rex', owner: { name: 'Ann', role: 'admin' } },
  });
  process.stdout.write(
    JSON.stringify({
      valid: [valid.statusCode, valid.json()],
      undeclared: [
        undeclared.statusCode,
        (undeclared.json() as { errors: Array<{ path: string }> }).errors.map((e) => e.path),
      ],
      // reflect-metadata 0.2 keeps its registry on Reflect; crest's own polyfill has none.
      reflectMetadataPackage: Symbol.for('@reflect-metadata:registry') in Reflect,
    }),
  );
}
