/**
 * The minimal browser app the bundle measurement builds (and
 * test/client/browser-bundle.test.ts holds to its size goal): an
 * ImageAnnotator REST client that starts AsyncBatchAnnotateImages and waits
 * on the operation with progress, imported from the package as a user does.
 */
import { createClient, createRestTransport, ImageAnnotator } from 'vision-kit/browser';

const images = createClient(ImageAnnotator, createRestTransport({ baseUrl: location.origin }));
const lro = await images.asyncBatchAnnotateImages({
  requests: [{ image: { source: { imageUri: 'gs://my-images/flag.png' } }, features: [{ type: 7 }] }],
  outputConfig: { gcsDestination: { uri: 'gs://my-results/' } },
});
const result = await lro.wait({ onProgress: (metadata) => console.log('state', metadata.state) });
console.log('results under', result?.outputConfig?.gcsDestination?.uri);
