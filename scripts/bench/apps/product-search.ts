/**
 * The minimal ProductSearch browser app the bundle measurement builds: a
 * REST client that creates a product, gets it and lists the products of its
 * location, imported from the package as a user does.
 */
import { createClient, createRestTransport, ProductSearch } from 'vision-kit/browser';

const products = createClient(ProductSearch, createRestTransport({ baseUrl: location.origin }));
const parent = 'projects/demo/locations/us-west1';
const shoe = await products.createProduct({ parent, productId: 'shoe', product: { displayName: 'Shoe', productCategory: 'apparel-v2' } });
const same = await products.getProduct({ name: shoe.name });
const page = await products.listProducts({ parent });
console.log(
  same.displayName,
  page.products.map((p) => p.name),
);
